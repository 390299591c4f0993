// The dry run of campaign creation (POST /campaigns/validate): the same schema, the same registry
// checks and the same placement planning as POST /campaigns (campaign-plan-check.ts), and nothing
// written — no campaign row, no allocation, no audit entry, no workflow. It answers what the builder
// shows before launch: the plan with its defaults filled in, which variant (and version) each channel
// will get and why (人货场: the matched rule with the trait values, and why every other variant lost),
// the registration cohorts, and warnings about things that would not stop creation but would stop
// publishing (a chosen version that nobody has approved yet).
// Its reply schema is declared here and types the builder; the OpenAPI document imports it.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { CampaignPlanSchema, type CreateCampaignRequest } from '../../domain/campaign-plan';
import { ChannelKindSchema, CostModelSchema, OnlineTypeSchema, type CostModel } from '../../domain/channel';
import { launchApprovalFor, type LaunchApprovalConfig } from '../../domain/launch-approval';
import type { MaterialContent } from '../../domain/material-content';
import { Timestamp, Uuid } from '../openapi/common';
import { validationProblem } from '../problem';
import { checkCampaignPlan } from './campaign-plan-check';
import { LaunchApprovalSchema } from './campaign-view';
import { AllocationExplanationSchema, ConditionTraceSchema } from './placement-plan';

const DraftWarningSchema = z.object({
  field: z.string(),
  code: z.enum(['material_version_not_approved']),
  message: z.string(),
});
type DraftWarning = z.infer<typeof DraftWarningSchema>;

const CohortBoundsSchema = z.object({ key: z.string(), start: Timestamp, end: Timestamp }).nullable();

/** The reply of POST /campaigns/validate. */
export const CampaignDryRunSchema = z.object({
  valid: z.literal(true),
  name: z.string(),
  material: z.object({ id: z.string(), name: z.string() }),
  plan: CampaignPlanSchema.meta({ description: 'The plan as it would be stored: every default filled in' }),
  channels: z.array(
    z.object({
      channelCode: z.string(),
      channelId: Uuid,
      channelName: z.string(),
      kind: ChannelKindSchema,
      onlineType: OnlineTypeSchema.nullable(),
      costModel: CostModelSchema,
      variantKey: z.string(),
      materialVersion: z.object({
        id: z.string(),
        version: z.int(),
        contentHash: z.string(),
        title: z.string(),
        approved: z.boolean(),
        approvedBy: z.string().nullable(),
      }),
      explanation: AllocationExplanationSchema,
      considered: z
        .array(
          z.object({
            key: z.string(),
            priority: z.number(),
            specificity: z.int(),
            outcome: z.enum([
              'chosen_by_rule',
              'chosen_as_default',
              'outranked',
              'rule_not_satisfied',
              'rule_undecided',
              'default_not_needed',
              'not_evaluated_no_profile',
            ]),
            evidence: z.array(ConditionTraceSchema),
            outrankedBy: z
              .object({ key: z.string(), on: z.enum(['priority', 'specificity', 'key']) })
              .optional(),
          }),
        )
        .meta({ description: 'Every variant of the material and why it was or was not chosen' }),
    }),
  ),
  cohorts: z.object({ count: z.int(), first: CohortBoundsSchema, last: CohortBoundsSchema }),
  warnings: z.array(DraftWarningSchema),
  approval: LaunchApprovalSchema.pick({ required: true, threshold: true }).meta({
    description:
      'Whether creating it now would need launch approval (and the threshold it would be judged by)',
  }),
});
export type CampaignDryRun = z.infer<typeof CampaignDryRunSchema>;

export async function dryRunCampaign(
  db: Db,
  request: CreateCampaignRequest,
  launchApproval: LaunchApprovalConfig | null = null,
): Promise<CampaignDryRun> {
  const { allocations, traces, cohorts, errors } = await checkCampaignPlan(db, request);
  // The same title as creation's refusal: a form shows both the same way.
  if (errors.length > 0) throw validationProblem(errors, 'Campaign cannot be created');

  const [material, channels, versions] = await Promise.all([
    db.material.findUniqueOrThrow({ where: { id: request.materialId }, select: { id: true, name: true } }),
    db.channel.findMany({ where: { id: { in: allocations.map((a) => a.channelId) } } }),
    db.materialVersion.findMany({ where: { id: { in: allocations.map((a) => a.materialVersionId) } } }),
  ]);
  const channelOf = new Map(channels.map((c) => [c.id, c]));
  const versionOf = new Map(versions.map((v) => [v.id, v]));

  const warnings: DraftWarning[] = [];
  const planned = allocations.map((allocation, i) => {
    const channel = channelOf.get(allocation.channelId)!;
    const version = versionOf.get(allocation.materialVersionId)!;
    if (version.approvedAt === null) {
      warnings.push({
        field: `channels.${i}`,
        code: 'material_version_not_approved',
        message: `variant "${allocation.variantKey}" version ${version.version} is not approved: publishing to "${allocation.channelCode}" will be refused until it is`,
      });
    }
    return {
      channelCode: allocation.channelCode,
      channelId: allocation.channelId,
      channelName: channel.name,
      kind: channel.kind,
      onlineType: channel.onlineType,
      // Written by the registry from CostModelSchema (api/channels/routes.ts); the column is JSON.
      costModel: channel.costModel as CostModel,
      variantKey: allocation.variantKey,
      materialVersion: {
        id: version.id,
        version: version.version,
        contentHash: version.contentHash,
        title: (version.content as unknown as MaterialContent).title,
        approved: version.approvedAt !== null,
        approvedBy: version.approvedBy,
      },
      explanation: allocation.explanation,
      considered: traces.get(allocation.channelCode)?.considered ?? [],
    };
  });

  return {
    valid: true as const,
    name: request.name,
    material,
    plan: request.plan,
    channels: planned,
    cohorts: {
      count: cohorts.length,
      first: cohorts[0] ?? null,
      last: cohorts[cohorts.length - 1] ?? null,
    },
    warnings,
    // What creating it now would decide (domain/launch-approval.ts): the author knows before launching
    // that another person must approve it.
    approval: launchApprovalFor(launchApproval, request.plan),
  };
}
