// The plan as the API returns it: spend as exact money ({ minor, currency }); every expected figure as an
// estimate with its 95% interval, rounded to fixed places so that the same facts give the same bytes.
// Money per activation (AAC, marginal AAC) is an estimate too: minor units with 2 decimals, never Money.
// Its reply schema is declared here and types the builder; the OpenAPI document imports it.
import { z } from 'zod';
import { formatMajor, money } from '../../domain/money';
import type { HistoryCampaign } from '../../planning/db-history';
import type { ChannelPlan, Estimate, Plan, RatioEstimate } from '../../planning/plan';
import { Uuid } from '../openapi/common';

const MoneyOut = z.object({ minor: z.int(), currency: z.string(), major: z.string() });
const EstimateOut = z.object({
  estimate: z.number(),
  low: z.number(),
  high: z.number().nullable().meta({ description: 'null: unbounded (e.g. AAC when activations may be 0)' }),
});
const Undefined = z.object({ defined: z.literal(false), reason: z.string() });
const PerActivation = z.union([
  Undefined,
  EstimateOut.extend({ defined: z.literal(true), currency: z.string() }),
]);
const Ratio = z.union([Undefined, EstimateOut.extend({ defined: z.literal(true) })]);

// The objective as asked, and whether the plan meets it (min_aac: the expected activations reach
// minimumActivations; the others always do).
const met = z.boolean();
const ObjectiveOut = z.discriminatedUnion('type', [
  z.object({ type: z.literal('max_activations'), met }),
  z.object({ type: z.literal('min_aac'), minimumActivations: z.number(), met }),
  z.object({ type: z.literal('max_lroi'), met }),
]);

const ChannelPlanSchema = z.object({
  channelCode: z.string(),
  materialVariant: z.string().nullable(),
  kind: z.string(),
  spend: MoneyOut,
  bound: z.enum(['exploration_floor', 'minimum', 'none', 'margin', 'maximum', 'capacity', 'no_value']),
  reason: z.string(),
  expected: z.object({
    registrations: EstimateOut.nullable(),
    activations: EstimateOut.nullable(),
    aacMinor: PerActivation,
    lroi: Ratio,
    marginalAacMinor: z.number().nullable(),
  }),
  history: z.object({
    campaigns: z.int(),
    points: z.int(),
    spend: MoneyOut,
    registrations: z.int(),
    activations: z.int(),
  }),
  model: z
    .object({
      curve: z.string(),
      saturation: z.number(),
      scaleMinor: z.number(),
      shapeFrom: z.enum(['activations', 'registrations']),
      shapeIdentified: z.boolean(),
      observedSpendMaxMinor: z.number(),
      activationRate: z.object({
        observed: z.number().nullable().meta({ description: 'null: the channel has no registrations yet' }),
        estimate: z.number(),
        low: z.number(),
        high: z.number(),
        priorMean: z.number(),
        priorStrength: z.number(),
        priorStrengthFrom: z.enum(['between_channel_spread', 'default']),
      }),
    })
    .nullable(),
});

/** The reply of POST /planning/allocations. */
export const AllocationPlanSchema = z.object({
  currency: z.string(),
  budget: MoneyOut,
  allocated: MoneyOut,
  unallocated: MoneyOut,
  objective: ObjectiveOut,
  channels: z.array(ChannelPlanSchema),
  totals: z.object({
    registrations: EstimateOut,
    activations: EstimateOut,
    aacMinor: PerActivation,
    lroi: Ratio,
    unmodelledSpend: MoneyOut,
  }),
  marginalAacMinor: z.number().nullable(),
  notes: z.array(z.string()),
  history: z.object({
    campaigns: z.array(
      z.object({ id: Uuid, name: z.string(), origin: z.string(), leftOut: z.string().nullable() }),
    ),
  }),
  estimates: z.string(),
});
export type AllocationPlanView = z.infer<typeof AllocationPlanSchema>;
type ChannelPlanView = z.infer<typeof ChannelPlanSchema>;

/** A figure finite by construction, to `places` decimals. */
const fixed = (value: number, places: number) => {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
};

/** An interval's upper end, which may be unbounded: null then (JSON has no Infinity). */
const upper = (value: number, places: number) => (Number.isFinite(value) ? fixed(value, places) : null);

const estimate = (e: Estimate, places = 2) => ({
  estimate: fixed(e.estimate, places),
  low: fixed(e.low, places),
  high: upper(e.high, places),
});

const moneyOf = (minor: number, currency: string): z.infer<typeof MoneyOut> => {
  const m = money(minor, currency);
  return { minor: m.minor, currency, major: formatMajor(m) };
};

function perActivation(value: RatioEstimate, currency: string): z.infer<typeof PerActivation> {
  if (!value.defined) return { defined: false, reason: value.reason };
  return { defined: true, currency, ...estimate(value, 2) };
}

function ratio(value: RatioEstimate): z.infer<typeof Ratio> {
  if (!value.defined) return { defined: false, reason: value.reason };
  return { defined: true, ...estimate(value, 6) };
}

function channelView(c: ChannelPlan, currency: string): ChannelPlanView {
  return {
    channelCode: c.channelCode,
    materialVariant: c.materialVariant,
    kind: c.kind,
    spend: moneyOf(c.spendMinor, currency),
    bound: c.bound,
    reason: c.reason,
    expected: {
      registrations: c.registrations && estimate(c.registrations),
      activations: c.activations && estimate(c.activations),
      aacMinor: perActivation(c.aacMinor, currency),
      lroi: ratio(c.lroi),
      marginalAacMinor: c.marginalAacMinor === null ? null : fixed(c.marginalAacMinor, 2),
    },
    history: {
      campaigns: c.history.campaigns,
      points: c.history.points,
      spend: moneyOf(c.history.spendMinor, currency),
      registrations: c.history.registrations,
      activations: c.history.activations,
    },
    model: c.model && {
      curve: 'activations(s) = saturation × (1 − exp(−s / scaleMinor))',
      saturation: fixed(c.model.saturation, 2),
      scaleMinor: fixed(c.model.scaleMinor, 0),
      shapeFrom: c.model.shapeFrom,
      shapeIdentified: c.model.shapeIdentified,
      observedSpendMaxMinor: fixed(c.model.observedSpendMaxMinor, 0),
      activationRate: {
        observed: c.model.activationRate.observed === null ? null : fixed(c.model.activationRate.observed, 6),
        estimate: fixed(c.model.activationRate.estimate, 6),
        low: fixed(c.model.activationRate.low, 6),
        high: fixed(c.model.activationRate.high, 6),
        priorMean: fixed(c.model.activationRate.prior.mean, 6),
        priorStrength: fixed(c.model.activationRate.prior.strength, 2),
        priorStrengthFrom: c.model.activationRate.prior.strengthFrom,
      },
    },
  };
}

export function planView(
  plan: Plan,
  campaigns: readonly HistoryCampaign[],
  historyNotes: readonly string[],
): AllocationPlanView {
  const { currency } = plan;
  return {
    currency,
    budget: moneyOf(plan.budgetMinor, currency),
    allocated: moneyOf(plan.allocatedMinor, currency),
    unallocated: moneyOf(plan.unallocatedMinor, currency),
    objective: plan.objective,
    channels: plan.channels.map((c) => channelView(c, currency)),
    totals: {
      registrations: estimate(plan.totals.registrations),
      activations: estimate(plan.totals.activations),
      aacMinor: perActivation(plan.totals.aacMinor, currency),
      lroi: ratio(plan.totals.lroi),
      unmodelledSpend: moneyOf(plan.totals.unmodelledSpendMinor, currency),
    },
    marginalAacMinor: plan.marginalAacMinor === null ? null : fixed(plan.marginalAacMinor, 2),
    notes: [...plan.notes, ...historyNotes],
    history: {
      campaigns: campaigns.map((c) => ({ id: c.id, name: c.name, origin: c.origin, leftOut: c.leftOut })),
    },
    estimates:
      'Spend is exact (whole minor units; the channels plus unallocated sum to the budget). Registrations, ' +
      'activations, AAC, LROI and marginal AAC are model estimates with 95% intervals (docs/planning.md).',
  };
}
