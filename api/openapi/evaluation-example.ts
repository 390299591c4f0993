// The example report of the API reference, computed by the evaluation library itself from a small set
// of facts (one channel, one material, one cohort, a control group), so that it has every field of the
// current report shape and cannot drift from it. test/unit/openapi validates it against the schema.
import { ATTRIBUTION_DEFINITION } from '../../evaluation/attribution-statement';
import { buildEvaluation } from '../../evaluation/report';
import { parseEvaluationInput } from '../../evaluation/input';
import { FACT_SOURCES } from '../../evaluation/sql';
import type { StoredEvaluationReport } from '../../evaluation/store';
import { EX } from './common';

const channelId = EX.channelId;
const materialVariant = 'spring-a';
const cohortKey = '2026-03';

const body = buildEvaluation(
  parseEvaluationInput({
    currency: 'CNY',
    controlGroup: 'control',
    registrations: [
      {
        channelId,
        materialVariant,
        cohortKey,
        group: 'control',
        registrations: 120,
        activated: 30,
        periodRevenueMinor: 90_000,
      },
      {
        channelId,
        materialVariant,
        cohortKey,
        group: 'treatment',
        registrations: 520,
        activated: 191,
        periodRevenueMinor: 610_000,
      },
    ],
    flagged: [{ channelId, materialVariant, cohortKey, reason: 'duplicate', count: 6 }],
    fraudFlagged: [],
    costs: [
      {
        scope: 'acquisition',
        category: 'placement_fee',
        channelId,
        materialVariant,
        cohortKey: null,
        amountMinor: 256_000,
      },
      {
        scope: 'acquisition',
        category: 'registration_incentive',
        channelId,
        materialVariant,
        cohortKey,
        amountMinor: 51_200,
      },
      {
        scope: 'period',
        category: 'activation_reward',
        channelId,
        materialVariant,
        cohortKey,
        amountMinor: 44_100,
      },
    ],
    placements: [{ channelId, materialVariant, placements: 4 }],
    delivery: [{ channelId, materialVariant, impressions: 48_000, clicks: 2_150, registrationsStarted: 910 }],
    timeToActivate: [
      { dimension: 'overall', key: '', medianSeconds: 86_400, p90Seconds: 432_000 },
      { dimension: 'channel', key: channelId, medianSeconds: 86_400, p90Seconds: 432_000 },
    ],
    cohortsMature: { [cohortKey]: true },
  }),
);

export const exampleReport: StoredEvaluationReport = {
  ...body,
  facts: {
    sources: FACT_SOURCES,
    excludedRevenue: {
      flaggedRegistrationsMinor: 0,
      withoutRegistrationMinor: 0,
      withoutRegistrationEntries: 0,
      outsidePeriodMinor: 0,
    },
  },
  attribution: {
    rule: 'last_touch',
    windows: [
      { channelId, channelCode: 'wechat-pay', clickThroughWindow: 'P7D', viewThroughWindow: 'PT24H' },
    ],
    unattributedChannelId: 'unattributed',
    registrationsByBasis: { reported: 0, click: 604, view: 36, direct: 0, unattributed: 0 },
    definition: ATTRIBUTION_DEFINITION,
  },
};
