// Builders for the funnel tests: a campaign written straight to the database (status 'acquiring', a
// validated plan, channel allocations, no workflow), its placements, and request helpers. Codes and
// customer refs are unique per call, since every integration test file shares one database and simulator.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import type { Db } from '../../../db/client';
import { CampaignPlanSchema, type CampaignPlanInput } from '../../../domain/campaign-plan';
import type { CostModel } from '../../../domain/channel';
import type { PacingPlan } from '../../../domain/pacing-plan';
import { writeInitialPacing } from '../../../planning/pacing-store';
import { seedMaterial, uniq } from '../../support/fixtures';
import { campaignWorkflowId } from '../../../workflows/ids';

export const HOUR = 3_600_000;

export const content = {
  title: 'Welcome to your new account',
  body: 'Three things to try in your first week.',
  imageRefs: ['asset:banners/welcome.png'],
  linkUrl: 'https://bank.example/welcome',
  callToAction: 'Start',
  styleTags: ['education'],
};

export interface SeededCampaign {
  id: string;
  workflowId: string;
  channels: { id: string; code: string }[];
  materialVersionId: string;
  /** Instants relative to the window: `at(0)` is its start (a whole second, an hour ago). */
  at(offsetMs: number): string;
  windowStart: number;
}

export interface CampaignOptions {
  channels?: number;
  /** The channels' adapter configuration (default: the simulator). */
  adapter?: object;
  costModel?: CostModel;
  status?: string;
  plan?: Partial<CampaignPlanInput>;
  /** Builds the plan's engagement steps once the channels and material exist. */
  steps?: (ctx: {
    channelCodes: string[];
    materialVersionId: string;
  }) => NonNullable<CampaignPlanInput['engagementPlan']>['steps'];
  /** plan.pacing, built once the channel codes exist; its initial caps are written as creation does. */
  pacing?: (channelCodes: string[]) => PacingPlan;
}

export async function seedCampaign(db: Db, opts: CampaignOptions = {}): Promise<SeededCampaign> {
  const prefix = uniq('fch');
  const count = opts.channels ?? 2;
  await db.channel.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      code: `${prefix}-${i}`,
      name: `Funnel channel ${i}`,
      kind: 'ecosystem_scenario' as const,
      onlineType: 'ecommerce' as const,
      department: 'digital',
      costModel: opts.costModel ?? { type: 'fixed_per_placement', amountMinor: 10_000, currency: 'CNY' },
      canShowMaterial: true,
      canDeliverMessages: true,
      adapter: opts.adapter ?? { type: 'simulator' },
    })),
  });
  const channels = await db.channel.findMany({
    where: { code: { startsWith: `${prefix}-` } },
    orderBy: { code: 'asc' },
    select: { id: true, code: true },
  });
  const { material, version } = await seedMaterial(db, { content });
  const windowStart = Math.floor(Date.now() / 1000) * 1000 - HOUR;
  const at = (offsetMs: number) => new Date(windowStart + offsetMs).toISOString();
  const plan = CampaignPlanSchema.parse({
    registrationWindow: { start: at(0), end: at(2 * HOUR) },
    newCustomerPeriod: 'PT2H',
    cohortGranularity: 'PT30M',
    sendingHours: { start: '00:00', end: '24:00' },
    incentive: { perRegistrationMinor: 500, perActivationMinor: 2_000 },
    activationRule: {
      all: [
        { event: 'login', atLeast: 3 },
        { event: 'deposit', minAmountMinor: 10_000 },
      ],
    },
    engagementPlan: {
      steps: opts.steps?.({ channelCodes: channels.map((c) => c.code), materialVersionId: version.id }) ?? [],
    },
    ...opts.plan,
    ...(opts.pacing ? { pacing: opts.pacing(channels.map((c) => c.code)) } : {}),
  });
  const id = randomUUID();
  await db.campaign.create({
    data: {
      id,
      name: uniq('funnel-campaign'),
      status: opts.status ?? 'acquiring',
      plan: plan as object,
      materialId: material.id,
      currency: plan.currency,
      workflowId: campaignWorkflowId(id),
      // Marked started: a bare row with none would be "start pending", and the reconciler test in
      // another file would start a real campaign workflow for it on its own worker.
      workflowStartedAt: new Date(),
      createdBy: 'funnel-test',
    },
  });
  await db.campaignChannel.createMany({
    data: channels.map((c) => ({
      campaignId: id,
      channelId: c.id,
      variantKey: 'default',
      materialVersionId: version.id,
    })),
  });
  if (plan.pacing) {
    const allocated = channels.map((c) => ({ channelId: c.id, channelCode: c.code }));
    await db.$transaction((tx) => writeInitialPacing(tx, id, plan, allocated, 'funnel-test', new Date()));
  }
  return { id, workflowId: campaignWorkflowId(id), channels, materialVersionId: version.id, at, windowStart };
}

export async function seedPlacement(db: Db, campaign: SeededCampaign, channelIndex = 0): Promise<string> {
  const channel = campaign.channels[channelIndex] as { id: string };
  const id = `plc-${randomUUID()}`;
  await db.placement.create({
    data: {
      id,
      campaignId: campaign.id,
      channelId: channel.id,
      materialVersionId: campaign.materialVersionId,
      variantKey: 'default',
      contentHash: 'f'.repeat(64),
      status: 'verified',
    },
  });
  return id;
}

/** A placement fee on the campaign's first channel, booked straight to the ledger (as publishing does). */
export async function bookPlacementFee(db: Db, campaign: SeededCampaign, amountMinor: bigint): Promise<void> {
  await db.ledgerEntry.create({
    data: {
      id: `placement:${campaign.id}`,
      campaignId: campaign.id,
      kind: 'cost',
      scope: 'acquisition',
      category: 'placement_fee',
      channelId: campaign.channels[0]!.id,
      amountMinor,
      currency: 'CNY',
      occurredAt: new Date(),
    },
  });
}

export const postRegistrations = (app: Express, campaignId: string, body: unknown) =>
  request(app)
    .post(`/campaigns/${campaignId}/registrations`)
    .send(body as object);

export const postEvents = (app: Express, campaignId: string, body: unknown) =>
  request(app)
    .post(`/campaigns/${campaignId}/events`)
    .send(body as object);

/** A registration through the campaign's first channel, `minutes` after the window opened. */
export function registration(
  campaign: SeededCampaign,
  overrides: Record<string, unknown> = {},
  minutes = 10,
) {
  return {
    customerRef: uniq('cust'),
    channelCode: (campaign.channels[0] as { code: string }).code,
    registeredAt: campaign.at(minutes * 60_000),
    ...overrides,
  };
}
