// What an evaluation says about attribution (issue 12, item 5): the rule and the windows the campaign's
// registrations were attributed under, and how many valid registrations each basis gave. Stored beside the
// report's figures (store.ts), read in the same snapshot. The per-channel figures need nothing more: the
// ingest stores the credited channel in Registration.channelId (and 'unattributed' when none), so every
// per-channel row is the attributed channel's and unattributed registrations form a row of their own.
import { z } from 'zod';
import {
  ATTRIBUTION_BASES,
  AttributionRuleSchema,
  attributionRuleOf,
  UNATTRIBUTED_CHANNEL_ID,
  type AttributionBasis,
} from '../domain/attribution';
import { parseStoredPlan } from '../domain/campaign-plan';
import type { FactsReader } from './sql';

export const AttributionStatementSchema = z.object({
  rule: AttributionRuleSchema.describe('plan.attribution.rule (last_touch unless first_touch was chosen)'),
  windows: z
    .array(
      z.object({
        channelId: z.string(),
        channelCode: z.string(),
        clickThroughWindow: z.string(),
        viewThroughWindow: z.string(),
      }),
    )
    .describe("Each channel's windows, as pinned when the campaign was created; by channel code"),
  unattributedChannelId: z
    .literal(UNATTRIBUTED_CHANNEL_ID)
    .describe('The byChannel row (and ledger channelId) of registrations credited to no channel'),
  registrationsByBasis: z
    .record(z.enum(ATTRIBUTION_BASES), z.int().nonnegative())
    .describe(
      'Valid registrations by how their channel was decided (reported: sent without touches or direct)',
    ),
  definition: z.string(),
});
export type AttributionStatement = z.infer<typeof AttributionStatementSchema>;

export const ATTRIBUTION_DEFINITION =
  'A registration sent with touches or `direct` is credited to one touch: a touch qualifies when registeredAt − window ≤ at ≤ registeredAt (the click-through window for a click, the view-through window for an impression, of the touched channel); qualifying clicks beat impressions; among the candidates the rule takes the latest (last_touch) or the earliest (first_touch). Without a qualifying touch it is credited to the reporting channel if that said `direct`, otherwise to no channel (the unattributed row: its incentive is a campaign cost, no channel fee is owed). A registration sent with neither is credited to the reporting channel (reported).';

export async function loadAttributionStatement(
  db: FactsReader,
  campaignId: string,
  storedPlan: unknown,
): Promise<AttributionStatement> {
  const plan = parseStoredPlan(storedPlan);
  const windows = await db.$queryRaw<AttributionStatement['windows']>`
    SELECT cc."channelId", c.code AS "channelCode", cc."clickThroughWindow", cc."viewThroughWindow"
      FROM "CampaignChannel" cc JOIN "Channel" c ON c.id = cc."channelId"
     WHERE cc."campaignId" = ${campaignId}
     ORDER BY c.code`;
  const bases = await db.$queryRaw<{ basis: string | null; registrations: bigint }[]>`
    SELECT "attributionBasis" AS basis, count(*) AS registrations
      FROM "Registration"
     WHERE "campaignId" = ${campaignId} AND "flagReason" IS NULL
     GROUP BY "attributionBasis"`;
  const registrationsByBasis = Object.fromEntries(ATTRIBUTION_BASES.map((b) => [b, 0])) as Record<
    AttributionBasis,
    number
  >;
  for (const row of bases) {
    const basis = (row.basis ?? 'reported') as AttributionBasis;
    registrationsByBasis[basis] = (registrationsByBasis[basis] ?? 0) + Number(row.registrations);
  }
  return {
    // An imported campaign's plan may not parse as a live plan; its registrations are all `reported`.
    rule: plan.success ? attributionRuleOf(plan.data) : 'last_touch',
    windows,
    unattributedChannelId: UNATTRIBUTED_CHANNEL_ID,
    registrationsByBasis,
    definition: ATTRIBUTION_DEFINITION,
  };
}
