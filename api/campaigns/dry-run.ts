// The dry run of campaign creation (POST /campaigns/validate): the same schema, the same registry
// checks and the same placement planning as POST /campaigns (campaign-plan-check.ts), and nothing
// written — no campaign row, no allocation, no audit entry, no workflow. It answers what the builder
// shows before launch: the plan with its defaults filled in, which variant (and version) each channel
// will get and why (人货场: the matched rule with the trait values, and why every other variant lost),
// the registration cohorts, and warnings about things that would not stop creation but would stop
// publishing (a chosen version that nobody has approved yet).
import type { Db } from '../../db/client';
import type { CreateCampaignRequest } from '../../domain/campaign-plan';
import { launchApprovalFor, type LaunchApprovalConfig } from '../../domain/launch-approval';
import type { MaterialContent } from '../../domain/material-content';
import { validationProblem } from '../problem';
import { checkCampaignPlan } from './campaign-plan-check';

export interface DraftWarning {
  field: string;
  code: 'material_version_not_approved';
  message: string;
}

export async function dryRunCampaign(
  db: Db,
  request: CreateCampaignRequest,
  launchApproval: LaunchApprovalConfig | null = null,
) {
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
      costModel: channel.costModel,
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
