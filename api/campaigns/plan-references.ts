// Every reference inside a plan is checked when the campaign is created, with the field named: an
// engagement step naming a channel or a material version that does not exist used to be accepted,
// and then failed in its cohort step days later (activities/cohort-steps.ts).
import type { Db } from '../../db/client';
import type { CampaignPlan } from '../../domain/campaign-plan';
import type { FieldError } from '../problem';

export async function planReferenceErrors(db: Db, plan: CampaignPlan): Promise<FieldError[]> {
  const steps = plan.engagementPlan.steps;
  if (steps.length === 0) return [];
  const [channels, versions] = await Promise.all([
    db.channel.findMany({
      where: { code: { in: [...new Set(steps.map((s) => s.channelCode))] } },
      select: { code: true, status: true, canDeliverMessages: true },
    }),
    db.materialVersion.findMany({
      where: { id: { in: [...new Set(steps.map((s) => s.materialVersionId))] } },
      select: { id: true },
    }),
  ]);
  const channelOf = new Map(channels.map((c) => [c.code, c]));
  const versionIds = new Set(versions.map((v) => v.id));
  const errors: FieldError[] = [];
  steps.forEach((step, i) => {
    const at = `plan.engagementPlan.steps.${i}`;
    const channel = channelOf.get(step.channelCode);
    if (!channel)
      errors.push({ field: `${at}.channelCode`, message: `unknown channel "${step.channelCode}"` });
    else if (channel.status === 'retired')
      errors.push({ field: `${at}.channelCode`, message: `channel "${step.channelCode}" is retired` });
    else if (!channel.canDeliverMessages)
      errors.push({
        field: `${at}.channelCode`,
        message: `channel "${step.channelCode}" cannot deliver messages`,
      });
    if (!versionIds.has(step.materialVersionId))
      errors.push({
        field: `${at}.materialVersionId`,
        message: `unknown material version "${step.materialVersionId}"`,
      });
  });
  return errors;
}
