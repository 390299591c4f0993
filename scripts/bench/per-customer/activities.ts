// The per-customer design's one activity (bench:per-customer only): one plan step for one customer,
// with the cohort step's semantics for that customer — valid treatment customers only, the step's
// audience checked at send time (activation), the same message id (the delivery's idempotency key and
// the Message row's id, so a retried attempt never sends twice), the same channel adapter and simulator,
// one Message row. What it leaves out (the contact-policy reservation, per-page heartbeats) only makes
// this design cheaper than the product's steps, so the comparison errs in its favour.
import { adapterFor } from '../../../channels/adapter-for';
import type { ChannelAdapter } from '../../../channels/adapter';
import type { Db } from '../../../db/client';
import { messageIdFor } from '../../../activities/message-id';
import { MaterialContentSchema, type MaterialContent } from '../../../domain/material-content';

export interface PerCustomerStep {
  id: string;
  audience: 'treatment_all' | 'not_activated';
  channelCode: string;
  materialVersionId: string;
  costPerMessageMinor: number;
}

export interface SendCustomerStepInput {
  campaignId: string;
  customerRef: string;
  stepId: string;
}

interface Setup {
  adapter: ChannelAdapter;
  channelId: string;
  content: MaterialContent;
  step: PerCustomerStep;
}

export function createPerCustomerActivities(deps: {
  db: Db;
  simulatorUrl: string;
  steps: readonly PerCustomerStep[];
}) {
  const { db } = deps;
  // Loaded once per step per worker process: the same lookups for every customer would only add cost.
  const setups = new Map<string, Promise<Setup>>();
  const setupOf = (stepId: string) => {
    let setup = setups.get(stepId);
    if (!setup) {
      setup = (async () => {
        const step = deps.steps.find((s) => s.id === stepId);
        if (!step) throw new Error(`unknown step ${stepId}`);
        const channel = await db.channel.findUniqueOrThrow({ where: { code: step.channelCode } });
        const adapter = adapterFor(channel, { simulatorUrl: deps.simulatorUrl });
        if (!adapter) throw new Error(`channel ${channel.code} cannot deliver`);
        const version = await db.materialVersion.findUniqueOrThrow({ where: { id: step.materialVersionId } });
        return {
          adapter,
          channelId: channel.id,
          content: MaterialContentSchema.parse(version.content),
          step,
        };
      })();
      setups.set(stepId, setup);
    }
    return setup;
  };

  return {
    /** True when this attempt delivered the message; false when the customer is outside the audience or had it. */
    async sendCustomerStep(input: SendCustomerStepInput): Promise<boolean> {
      const { adapter, channelId, content, step } = await setupOf(input.stepId);
      const registration = await db.registration.findUnique({
        where: { campaignId_customerRef: { campaignId: input.campaignId, customerRef: input.customerRef } },
        select: { id: true, arm: true, flagReason: true, activatedAt: true, cohortKey: true },
      });
      if (!registration || registration.arm !== 'treatment' || registration.flagReason !== null) return false;
      if (step.audience === 'not_activated' && registration.activatedAt !== null) return false;
      const messageId = messageIdFor(input.campaignId, input.stepId, input.customerRef);
      if (await db.message.findUnique({ where: { id: messageId }, select: { id: true } })) return false;
      const receipt = await adapter.deliver({
        idempotencyKey: messageId,
        channelCode: step.channelCode,
        campaignId: input.campaignId,
        customerRef: input.customerRef,
        stepId: input.stepId,
        kind: 'education',
        content,
      });
      await db.message.createMany({
        data: [
          {
            id: messageId,
            campaignId: input.campaignId,
            registrationId: registration.id,
            customerRef: input.customerRef,
            cohortKey: registration.cohortKey,
            stepId: input.stepId,
            channelId,
            kind: 'education',
            costMinor: BigInt(step.costPerMessageMinor),
            deliveredAt: new Date(receipt.deliveredAt),
          },
        ],
        skipDuplicates: true,
      });
      return true;
    },
  };
}

export type PerCustomerActivities = ReturnType<typeof createPerCustomerActivities>;
