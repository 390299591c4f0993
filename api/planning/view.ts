// The plan as the API returns it: spend as exact money ({ minor, currency }); every expected figure as an
// estimate with its 95% interval, rounded to fixed places so that the same facts give the same bytes.
// Money per activation (AAC, marginal AAC) is an estimate too: minor units with 2 decimals, never Money.
import { formatMajor, money } from '../../domain/money';
import type { HistoryCampaign } from '../../planning/db-history';
import type { ChannelPlan, Estimate, Plan, RatioEstimate } from '../../planning/plan';

const round = (value: number, places: number) => {
  if (!Number.isFinite(value)) return null; // an unbounded interval end (e.g. AAC when activations may be 0)
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
};

const estimate = (e: Estimate, places = 2) => ({
  estimate: round(e.estimate, places),
  low: round(e.low, places),
  high: round(e.high, places),
});

const moneyOf = (minor: number, currency: string) => {
  const m = money(minor, currency);
  return { minor: m.minor, currency, major: formatMajor(m) };
};

function perActivation(value: RatioEstimate, currency: string) {
  if (!value.defined) return value;
  return { defined: true, currency, ...estimate(value, 2) };
}

function ratio(value: RatioEstimate) {
  if (!value.defined) return value;
  return { defined: true, ...estimate(value, 6) };
}

function channelView(c: ChannelPlan, currency: string) {
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
      marginalAacMinor: c.marginalAacMinor === null ? null : round(c.marginalAacMinor, 2),
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
      saturation: round(c.model.saturation, 2),
      scaleMinor: round(c.model.scaleMinor, 0),
      shapeFrom: c.model.shapeFrom,
      shapeIdentified: c.model.shapeIdentified,
      observedSpendMaxMinor: round(c.model.observedSpendMaxMinor, 0),
      activationRate: {
        observed: c.model.activationRate.observed === null ? null : round(c.model.activationRate.observed, 6),
        estimate: round(c.model.activationRate.estimate, 6),
        low: round(c.model.activationRate.low, 6),
        high: round(c.model.activationRate.high, 6),
        priorMean: round(c.model.activationRate.prior.mean, 6),
        priorStrength: round(c.model.activationRate.prior.strength, 2),
        priorStrengthFrom: c.model.activationRate.prior.strengthFrom,
      },
    },
  };
}

export function planView(plan: Plan, campaigns: readonly HistoryCampaign[], historyNotes: readonly string[]) {
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
    marginalAacMinor: plan.marginalAacMinor === null ? null : round(plan.marginalAacMinor, 2),
    notes: [...plan.notes, ...historyNotes],
    history: {
      campaigns: campaigns.map((c) => ({ id: c.id, name: c.name, origin: c.origin, leftOut: c.leftOut })),
    },
    estimates:
      'Spend is exact (whole minor units; the channels plus unallocated sum to the budget). Registrations, ' +
      'activations, AAC, LROI and marginal AAC are model estimates with 95% intervals (docs/planning.md).',
  };
}
