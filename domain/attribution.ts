// Attribution settings (issue 12, item 5): the windows a channel gives its touches and the rule a campaign
// uses to pick one touch among those that qualify. A channel's windows live in the registry (Channel
// clickThroughWindow / viewThroughWindow) and are pinned on the campaign's channel allocation when the
// campaign is created, like the plan, so one campaign is attributed under one set of windows however the
// registry changes later — and its evaluation can state them. The rule is part of the plan
// (plan.attribution.rule). The decision itself is funnel/attribution.ts.
import { z } from 'zod';
import { durationInRange } from './duration';

/** How long after a click a registration is still credited to it: 7 days, as measurement partners default. */
export const DEFAULT_CLICK_THROUGH_WINDOW = 'P7D';
/** How long after an impression (a view without a click) a registration is still credited to it: 24 hours. */
export const DEFAULT_VIEW_THROUGH_WINDOW = 'PT24H';

/** A window: at least a second, at most 90 days (a touch three months old did not cause a registration). */
export const AttributionWindowSchema = durationInRange('PT1S', 'P90D');

export const ATTRIBUTION_RULES = ['last_touch', 'first_touch'] as const;
export const AttributionRuleSchema = z.enum(ATTRIBUTION_RULES, {
  error: `must be one of ${ATTRIBUTION_RULES.join(', ')}`,
});
export type AttributionRule = z.infer<typeof AttributionRuleSchema>;
export const DEFAULT_ATTRIBUTION_RULE: AttributionRule = 'last_touch';

/** plan.attribution: absent means the default rule (so plans written before it keep their meaning). */
export const AttributionPlanSchema = z.strictObject({
  rule: AttributionRuleSchema.default(DEFAULT_ATTRIBUTION_RULE),
});
export type AttributionPlan = z.infer<typeof AttributionPlanSchema>;

/** The rule a plan uses. */
export function attributionRuleOf(plan: { attribution?: AttributionPlan | undefined }): AttributionRule {
  return plan.attribution?.rule ?? DEFAULT_ATTRIBUTION_RULE;
}

/**
 * How a registration's channel was decided: `reported` (no touches and no `direct` sent: the reporting
 * channel's word, as before attribution existed), `click` / `view` (a touch inside its window),
 * `direct` (no qualifying touch and the channel system says the customer came directly), `unattributed`
 * (no qualifying touch and not direct: credited to no channel).
 */
export const ATTRIBUTION_BASES = ['reported', 'click', 'view', 'direct', 'unattributed'] as const;
export type AttributionBasis = (typeof ATTRIBUTION_BASES)[number];

/**
 * The channel id that unattributed registrations and their costs carry (Registration.channelId,
 * LedgerEntry.channelId): no channel has it (channel ids are UUIDs), so every per-channel figure —
 * evaluation, profiles, pacing caps — leaves them out of every real channel and the evaluation shows
 * them on a line of their own.
 */
export const UNATTRIBUTED_CHANNEL_ID = 'unattributed';
