// The plain-language reason for each channel's share of a plan: why more, why less, why none. One
// sentence built from the bound the channel ended at and the marginal AAC there, with the caveats the
// model owes the reader (little history, an extrapolation, a bend the history could not show).
import { formatMajor, minorUnitExponent, money } from '../domain/money';
import type { ResponseCurve } from './response-model';

/** Where a channel's spend ended, and so what explains it. */
export type Bound =
  | 'exploration_floor' // no history: held at the exploration floor
  | 'minimum' // held at its stated minimum (no history, or its margin is worse than the plan's)
  | 'none' // no spend: even its first activations cost more than the plan's margin
  | 'margin' // grown until its marginal AAC met the plan's
  | 'maximum' // stopped at its stated maximum
  | 'capacity' // stopped at its capacity
  | 'no_value'; // max_lroi: its history shows no net new-customer-period revenue

export interface ReasonFacts {
  readonly bound: Bound;
  readonly currency: string;
  readonly spendMinor: number;
  readonly history: {
    readonly registrations: number;
    readonly activations: number;
    readonly campaigns: number;
  };
  readonly curve: ResponseCurve | null;
  readonly marginalAacMinor?: number;
  readonly levelAacMinor?: number | null;
  readonly capacityRegistrations?: number | null;
  readonly minimumMinor?: number;
}

function amount(minor: number, currency: string): string {
  return `${formatMajor(money(minor, currency))} ${currency}`;
}

/** An estimated amount per activation (a float of minor units) shown in major units, 2 decimals. */
function perActivation(minor: number, currency: string): string {
  // Far past saturation the next activation costs more than a double can say.
  if (!Number.isFinite(minor)) return `more than any amount of ${currency}`;
  const major = minor / 10 ** minorUnitExponent(currency);
  return `${major.toFixed(2)} ${currency}`;
}

function caveats(facts: ReasonFacts): string {
  const curve = facts.curve;
  if (!curve) return '';
  const out: string[] = [];
  const prior = curve.activationRate.prior;
  if (facts.history.registrations < prior.strength) {
    out.push(
      `little history (${facts.history.registrations} registrations): its activation rate is pulled toward its ` +
        `kind's average of ${(prior.mean * 100).toFixed(2)}%`,
    );
  }
  if (facts.spendMinor > curve.observedSpendMaxMinor) {
    out.push(
      `above the largest campaign spend in its history (${amount(Math.floor(curve.observedSpendMaxMinor), facts.currency)}), ` +
        'so the figures are an extrapolation',
    );
  }
  if (!curve.shapeIdentified) {
    out.push(
      'its history does not show how fast returns diminish: the stated prior decides the bend, so the interval is wide',
    );
  }
  return out.length === 0 ? '' : ` Caveat: ${out.join('; ')}.`;
}

export function describeBound(facts: ReasonFacts): string {
  const { bound, currency, spendMinor } = facts;
  const spend = amount(spendMinor, currency);
  const margin = facts.marginalAacMinor === undefined ? '' : perActivation(facts.marginalAacMinor, currency);
  const level =
    facts.levelAacMinor === undefined || facts.levelAacMinor === null
      ? null
      : perActivation(facts.levelAacMinor, currency);
  let text: string;
  switch (bound) {
    case 'exploration_floor':
      text =
        facts.history.registrations === 0
          ? `No history: kept at the exploration floor (${spend}) so that evidence can come in.`
          : `No paid history to fit a response to: kept at the exploration floor (${spend}).`;
      break;
    case 'minimum':
      text = !facts.curve
        ? `No history: kept at its minimum spend (${spend}).`
        : `Kept at its minimum spend (${spend}): beyond it the next activation would cost ${margin}` +
          (level ? `, more than the ${level} at which the budget runs out elsewhere.` : '.');
      break;
    case 'none':
      text =
        `None: even its first activations would cost ${margin} each` +
        (level ? `, more than the ${level} at which the budget runs out on other channels.` : '.');
      break;
    case 'margin':
      text =
        `${spend}: spent until its next activation would cost ${margin}, the same margin as the other channels ` +
        `(returns diminish: its first activations cost ${perActivation(marginalAt0(facts.curve!), currency)}).`;
      break;
    case 'maximum':
      text =
        `${spend}, its maximum spend: even there the next activation costs ${margin}` +
        (level
          ? `, less than the ${level} the plan pays at the margin elsewhere.`
          : ', and more would still pay off.');
      break;
    case 'capacity':
      text = `${spend}, where it reaches its capacity of ${facts.capacityRegistrations} registrations (next activation ${margin}).`;
      break;
    case 'no_value':
      text =
        `Kept at ${spendMinor === 0 ? 'no spend' : `its minimum (${spend})`}: its history shows no new-customer-period ` +
        'revenue above its period cost, so more spend would not raise the return.';
      break;
  }
  if (facts.curve && facts.minimumMinor !== undefined && spendMinor < facts.minimumMinor) {
    text += ` Its capacity is below the stated minimum of ${amount(facts.minimumMinor, currency)}.`;
  }
  return text + caveats(facts);
}

function marginalAt0(curve: ResponseCurve): number {
  return curve.scaleMinor / curve.saturation;
}
