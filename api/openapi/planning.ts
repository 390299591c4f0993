// OpenAPI entry of the allocation planner (api/planning/routes.ts). docs/api/planning.md.
import { PlanRequestSchema } from '../planning/schemas';
import { AllocationPlanSchema } from '../planning/view';
import { EX } from './common';
import type { RouteDoc } from './registry';

const requestExample = {
  budget: { minor: 50_000_000, currency: 'CNY' },
  objective: { type: 'max_activations' },
  channels: [
    { channelCode: 'wechat-pay', maximumSpend: { minor: 30_000_000, currency: 'CNY' } },
    { channelCode: 'mobile-app', minimumSpend: { minor: 5_000_000, currency: 'CNY' } },
    { channelCode: 'health-ecosystem' },
  ],
};

const money = (minor: number) => ({
  minor,
  currency: 'CNY',
  major: `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`,
});

const responseExample = {
  currency: 'CNY',
  budget: money(50_000_000),
  allocated: money(50_000_000),
  unallocated: money(0),
  objective: { type: 'max_activations', met: true },
  channels: [
    {
      channelCode: 'health-ecosystem',
      materialVariant: null,
      kind: 'ecosystem_scenario',
      spend: money(2_500_000),
      bound: 'exploration_floor',
      reason: 'No history: kept at the exploration floor (25000.00 CNY) so that evidence can come in.',
      expected: {
        registrations: null,
        activations: null,
        aacMinor: { defined: false, reason: 'no_history' },
        lroi: { defined: false, reason: 'no_history' },
        marginalAacMinor: null,
      },
      history: { campaigns: 0, points: 0, spend: money(0), registrations: 0, activations: 0 },
      model: null,
    },
    {
      channelCode: 'wechat-pay',
      materialVariant: null,
      kind: 'ecosystem_scenario',
      spend: money(27_120_455),
      bound: 'margin',
      reason:
        '271204.55 CNY: spent until its next activation would cost 212.40 CNY, the same margin as the other channels (returns diminish: its first activations cost 61.02 CNY).',
      expected: {
        registrations: { estimate: 5190.4, low: 4702.2, high: 5731.9 },
        activations: { estimate: 2241.7, low: 2031.1, high: 2475.6 },
        aacMinor: { defined: true, currency: 'CNY', estimate: 12098.1, low: 10955.2, high: 13352.8 },
        lroi: { defined: false, reason: 'zero_period_cost' },
        marginalAacMinor: 21240.33,
      },
      history: { campaigns: 4, points: 36, spend: money(19_880_000), registrations: 4120, activations: 1790 },
      model: {
        curve: 'activations(s) = saturation × (1 − exp(−s / scaleMinor))',
        saturation: 3105.2,
        scaleMinor: 21_842_006,
        shapeFrom: 'activations',
        shapeIdentified: true,
        observedSpendMaxMinor: 6_120_000,
        activationRate: {
          observed: 0.434466,
          estimate: 0.431881,
          low: 0.417103,
          high: 0.44672,
          priorMean: 0.36,
          priorStrength: 100,
          priorStrengthFrom: 'default',
        },
      },
    },
  ],
  totals: {
    registrations: { estimate: 9980.1, low: 9021.7, high: 11044.2 },
    activations: { estimate: 4010.6, low: 3622.9, high: 4439.4 },
    aacMinor: { defined: true, currency: 'CNY', estimate: 11843.9, low: 10699.7, high: 13111.4 },
    lroi: { defined: false, reason: 'zero_period_cost' },
    unmodelledSpend: money(2_500_000),
  },
  marginalAacMinor: 21240.33,
  notes: [],
  history: {
    campaigns: [{ id: EX.campaignId, name: 'Spring account-opening push', origin: 'live', leftOut: null }],
  },
  estimates:
    'Spend is exact (whole minor units; the channels plus unallocated sum to the budget). Registrations, activations, AAC, LROI and marginal AAC are model estimates with 95% intervals (docs/planning.md).',
};

export const planningRoutesDoc: RouteDoc[] = [
  {
    method: 'post',
    path: '/planning/allocations',
    tag: 'Planning',
    operationId: 'planAllocation',
    summary: 'Split an acquisition budget across channels by their response to spend',
    description:
      'Fits a saturating response curve per channel on the history (per-cohort or per-campaign spend vs activations; ' +
      'activation rates shrunk toward the channel kind), then splits the budget by marginal returns for the objective: ' +
      'max_activations, min_aac (the cheapest plan reaching minimumActivations) or max_lroi. Spend per channel is exact ' +
      'and sums with `unallocated` to the budget; expected registrations, activations, AAC, LROI and the marginal AAC ' +
      'are estimates with 95% intervals, and every channel has a plain-language reason. Writes nothing. 400 names each ' +
      'invalid field: an unknown channel, an amount in another currency, a budget below the sum of the minimums, a ' +
      'history campaign that does not exist or is in another currency.',
    body: { schema: PlanRequestSchema, name: 'PlanAllocationRequest', example: requestExample },
    responses: {
      200: {
        description: 'The plan',
        schema: AllocationPlanSchema,
        name: 'AllocationPlan',
        example: responseExample,
      },
    },
  },
];
