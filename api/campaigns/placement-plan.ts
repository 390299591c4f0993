// Resolves, for each chosen channel, which variant of the campaign's material it gets (targeting
// rules over the channel's latest profile: 人货场) and which version of that variant — with the
// explanation stored beside the allocation.
// The allocation's schema is declared here, where allocations are made: the created campaign's reply
// (campaign-view.ts) and the dry run (dry-run.ts) show it, and the OpenAPI document imports it.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { resolveVariant, type ConsideredVariant, type TargetingRule } from '../../channels/targeting';
import type { ChannelProfileTraits } from '../../domain/channel-profile';
import { Uuid } from '../openapi/common';
import type { FieldError } from '../problem';

/** One condition of a targeting rule as evaluated on a profile (channels/targeting-eval.ts). */
export const ConditionTraceSchema = z.object({
  trait: z.string(),
  op: z.string(),
  expected: z.unknown(),
  actual: z.unknown().optional(),
  result: z.boolean().nullable().meta({ description: 'null: the profile lacks the trait (undecided)' }),
});

/** Why a variant was chosen for a channel: stored with the allocation (CampaignChannel.explanation). */
export const AllocationExplanationSchema = z.object({
  reason: z.enum(['matched', 'default', 'no_profile', 'no_match']),
  summary: z.string(),
  matched: z
    .object({ key: z.string(), rule: z.unknown(), evidence: z.array(ConditionTraceSchema) })
    .nullable()
    .meta({ description: 'The rule that matched and its evidence; null unless reason is matched' }),
  profileVersion: z.int().nullable(),
});

export const ChannelAllocationSchema = z.object({
  channelId: Uuid,
  channelCode: z.string(),
  variantKey: z.string(),
  materialVersionId: z.string(),
  explanation: AllocationExplanationSchema,
});
export type ChannelAllocation = z.infer<typeof ChannelAllocationSchema>;

/**
 * What the resolution saw for one channel, beyond what is stored with the allocation: every variant
 * considered and why it was or was not chosen. Only the dry run shows it; creation stores `explanation`.
 */
export interface PlacementTrace {
  considered: ConsideredVariant[];
}

export async function planPlacements(
  db: Db,
  channelCodes: string[],
  materialId: string,
): Promise<{ allocations: ChannelAllocation[]; traces: Map<string, PlacementTrace>; errors: FieldError[] }> {
  const traces = new Map<string, PlacementTrace>();
  const errors: FieldError[] = [];
  const channels = await db.channel.findMany({ where: { code: { in: channelCodes } } });
  const byCode = new Map(channels.map((c) => [c.code, c]));
  const seen = new Set<string>();
  channelCodes.forEach((code, i) => {
    const channel = byCode.get(code);
    if (seen.has(code)) errors.push({ field: `channels.${i}`, message: `channel "${code}" is listed twice` });
    seen.add(code);
    if (!channel) errors.push({ field: `channels.${i}`, message: `unknown channel "${code}"` });
    else if (channel.status === 'retired')
      errors.push({ field: `channels.${i}`, message: `channel "${code}" is retired` });
    else if (!channel.canShowMaterial)
      errors.push({ field: `channels.${i}`, message: `channel "${code}" cannot show material` });
  });

  const material = await db.material.findUnique({
    where: { id: materialId },
    include: { variants: { include: { versions: { orderBy: { version: 'desc' } } } } },
  });
  if (!material) errors.push({ field: 'materialId', message: `unknown material "${materialId}"` });
  else if (!material.variants.some((v) => v.versions.length > 0))
    errors.push({ field: 'materialId', message: `material "${materialId}" has no version` });
  if (errors.length > 0 || !material) return { allocations: [], traces, errors };

  const variants = material.variants
    .filter((v) => v.versions.length > 0)
    // The newest approved version of each variant; without any approval, the newest version — which
    // publishing then refuses (compliance sign-off is checked at publish time, with the reason shown).
    .map((v) => ({
      key: v.key,
      priority: v.priority,
      rule: v.rule as TargetingRule | null,
      version: v.versions.find((x) => x.approvedAt !== null) ?? v.versions[0]!,
    }));
  const profiles = await db.channelProfile.findMany({
    where: { channelId: { in: channels.map((c) => c.id) } },
    orderBy: { version: 'desc' },
    distinct: ['channelId'],
  });
  const profileOf = new Map(profiles.map((p) => [p.channelId, p]));

  const allocations: ChannelAllocation[] = [];
  channelCodes.forEach((code, i) => {
    const channel = byCode.get(code)!;
    const profile = profileOf.get(channel.id);
    const resolution = resolveVariant(
      variants,
      (profile?.traits as ChannelProfileTraits | undefined) ?? null,
    );
    traces.set(code, { considered: resolution.considered });
    if (!resolution.variant) {
      errors.push({
        field: `channels.${i}`,
        message: `no variant of the material fits channel "${code}": ${resolution.summary}`,
      });
      return;
    }
    allocations.push({
      channelId: channel.id,
      channelCode: code,
      variantKey: resolution.variant.key,
      materialVersionId: resolution.variant.version.id,
      explanation: {
        reason: resolution.reason,
        summary: resolution.summary,
        matched: resolution.matched,
        profileVersion: profile?.version ?? null,
      },
    });
  });
  return { allocations, traces, errors };
}
