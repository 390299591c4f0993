// In-flight pacing: at each review of a running campaign, re-split its acquisition budget across its
// channels toward the lowest marginal cost per *activated* customer seen so far. A Thompson-sampling
// bandit over the response model's saturating curve:
//   1. each channel's activations per minor unit q has a Gamma posterior — the Poisson count of early
//      activations (activated within `earlyDays` of registering, the leading signal: true activations
//      lag) over the spend that bought the registrations old enough to be counted, carried to eventual
//      activations by `earlyShare` (the share of eventual activations that come by day k, calibrated on
//      history), optionally with the history's prior added as pseudo-evidence;
//   2. one draw per channel (by the quantile of a seeded uniform: deterministic for the same input, and
//      monotone — more evidence of cheaper activations can only raise the draw);
//   3. the drawn rate, read as the average rate of a saturating curve A(s) = V·(1 − e^(−s/θ)) over what
//      bought the evidence, gives the curve; its bend θ is drawn too, from how the channel's
//      registrations slowed as its spend grew (when the review says what was spent k days ago) around
//      the history's bend; the budget above the channels' floors is split by marginal returns
//      (water-filling, as allocate.ts does for the planner), in whole minor units.
// Pure: no I/O, no clock. Money is bigint minor units; the rates are floats stated as estimates.
// docs/planning.md ("In-flight pacing") states the method, its assumptions and its limits.
import { seededRandom } from '../simulator/random';
import { gammaQuantile } from './gamma';

export interface PacingChannelEvidence {
  channelCode: string;
  /** The channel's current cumulative acquisition cap for this campaign. */
  capMinor: bigint;
  /** Acquisition spend charged to this channel so far (≤ capMinor normally). */
  spentMinor: bigint;
  /** Accepted registrations so far. */
  registrations: number;
  /** Of those, activated so far. */
  activations: number;
  /** Activated within `earlyDays` of registering. */
  earlyActivations: number;
  /** Registrations old enough (≥ earlyDays) to be counted for earlyActivations. */
  earlyEligible: number;
  /** Optional floor for this channel's cap. */
  minMinor?: bigint;
  /** Optional ceiling (e.g. capacity). */
  maxMinor?: bigint;
  /**
   * Optional: the acquisition spend charged up to `earlyDays` ago — what bought the `earlyEligible`
   * registrations. With it the early activations are weighed against their own spend (not an average
   * cost per registration), and how registrations slowed between that spend and `spentMinor` tells the
   * curve's bend (otherwise the prior's or DEFAULT_BEND's). ≤ spentMinor.
   */
  spentEligibleMinor?: bigint;
}

export interface PacingPrior {
  /** Eventual activations per million minor units of acquisition spend (an estimate from history). */
  activationsPerMillionMinor: number;
  /** How many activations' worth of evidence the prior counts for (0: ignored). */
  weight: number;
  /** Optional: the curve's bend θ in minor units (response-model.ts's campaign-scale scaleMinor). */
  scaleMinor?: number;
}

export interface PacingReviewInput {
  /** The campaign's whole acquisition budget; the new caps sum to exactly this. */
  budgetMinor: bigint;
  channels: PacingChannelEvidence[];
  /**
   * 0 ≤ floorShare and floorShare × channels ≤ 1: each channel's cap ≥ floorShare × budget (unless its
   * maxMinor is lower), so none is starved before there is evidence.
   */
  floorShare: number;
  /** The lag used for the leading signal. */
  earlyDays: number;
  /** Optional per-channel prior from history (planning/response-model.ts), stated as estimates. */
  prior?: Record<string, PacingPrior>;
  /** e.g. `${campaignId}:${reviewIndex}` */
  seed: string;
  /**
   * Optional, in (0, 1]: the share of eventual activations that happen within `earlyDays`, calibrated on
   * history. Default 1 (early activations taken as the eventual ones): it does not change how channels
   * rank against each other, only how the evidence weighs against a prior stated in eventual activations.
   */
  earlyShare?: number;
}

export interface PacingChannelDecision {
  channelCode: string;
  fromMinor: bigint;
  toMinor: bigint;
  reason: string;
  /** The posterior mean's cost per eventual activation, minor units (an estimate); absent without evidence. */
  expectedCostPerActivationMinor?: bigint;
}

export interface PacingDecision {
  method: string;
  /** Same order as the input's channels. */
  channels: PacingChannelDecision[];
}

/** A review input the policy cannot serve, with the field to blame (e.g. `channels[2].spentMinor`). */
export class PacingInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export const PACING_METHOD = 'thompson-sampling-v1';
/** The Gamma prior's shape without history (Jeffreys' for a Poisson rate): shape ½ + count, rate exposure. */
export const EVIDENCE_PRIOR_SHAPE = 0.5;
/**
 * Without a prior bend, θ = DEFAULT_BEND × budget ÷ channels: at an even share each further unit brings
 * e^(−½) ≈ 61% of what the first did (the response model's BEND_PRIOR, carried to the campaign's scale).
 */
export const DEFAULT_BEND = 2;
/** σ of the bend's log-normal prior (around the history's θ or DEFAULT_BEND's) when the review can update it. */
export const BEND_LOG_SD = 1;
/** Points of the grid the bend's posterior is drawn from: ±4σ around the prior's centre. */
const BEND_GRID_POINTS = 81;

const PPB = 1_000_000_000n;

type Status = 'evidence' | 'prior' | 'none';

interface Channel {
  readonly input: PacingChannelEvidence;
  readonly floor: bigint;
  readonly hi: bigint;
  lo: bigint;
  to: bigint;
  readonly status: Status;
  readonly shape: number;
  readonly rate: number;
  /** The drawn curve (null without evidence or prior). */
  readonly curve: { saturation: number; scaleMinor: number } | null;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function validate(input: PacingReviewInput): void {
  if (input.budgetMinor < 0n) throw new PacingInputError('budgetMinor', 'must not be negative');
  const n = input.channels.length;
  if (!(Number.isFinite(input.floorShare) && input.floorShare >= 0 && input.floorShare * n <= 1 + 1e-12))
    throw new PacingInputError('floorShare', 'needs 0 ≤ floorShare and floorShare × channels ≤ 1');
  if (!(Number.isFinite(input.earlyDays) && input.earlyDays >= 0))
    throw new PacingInputError('earlyDays', 'must be a non-negative number of days');
  if (input.earlyShare !== undefined && !(input.earlyShare > 0 && input.earlyShare <= 1))
    throw new PacingInputError('earlyShare', 'must be in (0, 1]');
  const seen = new Set<string>();
  input.channels.forEach((c, i) => {
    const at = `channels[${i}]`;
    if (seen.has(c.channelCode)) throw new PacingInputError(`${at}.channelCode`, 'is listed twice');
    seen.add(c.channelCode);
    if (c.capMinor < 0n) throw new PacingInputError(`${at}.capMinor`, 'must not be negative');
    if (c.spentMinor < 0n) throw new PacingInputError(`${at}.spentMinor`, 'must not be negative');
    for (const field of ['registrations', 'activations', 'earlyActivations', 'earlyEligible'] as const)
      if (!isCount(c[field])) throw new PacingInputError(`${at}.${field}`, 'must be a whole count ≥ 0');
    if (c.activations > c.registrations)
      throw new PacingInputError(`${at}.activations`, 'exceeds the registrations');
    if (c.earlyEligible > c.registrations)
      throw new PacingInputError(`${at}.earlyEligible`, 'exceeds the registrations');
    if (c.earlyActivations > c.earlyEligible || c.earlyActivations > c.activations)
      throw new PacingInputError(
        `${at}.earlyActivations`,
        'exceeds the eligible registrations or the activations',
      );
    if (c.minMinor !== undefined && c.minMinor < 0n)
      throw new PacingInputError(`${at}.minMinor`, 'must not be negative');
    if (c.maxMinor !== undefined && c.maxMinor < 0n)
      throw new PacingInputError(`${at}.maxMinor`, 'must not be negative');
    if (
      c.spentEligibleMinor !== undefined &&
      (c.spentEligibleMinor < 0n || c.spentEligibleMinor > c.spentMinor)
    )
      throw new PacingInputError(`${at}.spentEligibleMinor`, 'needs 0 ≤ spentEligibleMinor ≤ spentMinor');
    if (c.minMinor !== undefined && c.maxMinor !== undefined && c.minMinor > c.maxMinor)
      throw new PacingInputError(`${at}.minMinor`, 'exceeds maxMinor');
  });
  for (const [code, p] of Object.entries(input.prior ?? {})) {
    if (!(Number.isFinite(p.activationsPerMillionMinor) && p.activationsPerMillionMinor > 0))
      throw new PacingInputError(`prior.${code}.activationsPerMillionMinor`, 'must be a positive number');
    if (!(Number.isFinite(p.weight) && p.weight >= 0))
      throw new PacingInputError(`prior.${code}.weight`, 'must be a non-negative number');
    if (p.scaleMinor !== undefined && !(Number.isFinite(p.scaleMinor) && p.scaleMinor > 0))
      throw new PacingInputError(`prior.${code}.scaleMinor`, 'must be a positive number');
  }
}

/** 32-bit FNV-1a of a string: the seed of one channel's draw. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The channel's uniform: seeded by the review's seed and the channel's code, so that a channel's draw
 * does not depend on the order channels are listed in nor on the other channels' evidence.
 */
function uniformsFor(seed: string, channelCode: string): { rate: number; bend: number } {
  const random = seededRandom(hash(`${seed}\u0000${channelCode}`));
  const clamp = (u: number) => Math.min(Math.max(u, 1e-9), 1 - 1e-9);
  return { rate: clamp(random()), bend: clamp(random()) };
}

/**
 * Draws the bend θ from its posterior on a grid: a log-normal prior around `centre`, and the binomial
 * likelihood that, of the `registrations` bought by `spent`, `eligible` came from the first
 * `spentEligible` — a share f(s₁)/f(s₂), f(s) = 1 − e^(−s/θ), which is s₁/s₂ with no bend (θ → ∞) and
 * grows toward 1 the sharper the bend. Drawn by the posterior's inverse cdf at `u`.
 */
function drawBend(
  centre: number,
  spentEligible: number,
  spent: number,
  eligible: number,
  registrations: number,
  u: number,
): number {
  const logs: number[] = [];
  const scales: number[] = [];
  for (let k = 0; k < BEND_GRID_POINTS; k++) {
    const z = -4 + (8 * k) / (BEND_GRID_POINTS - 1);
    const scale = centre * Math.exp(BEND_LOG_SD * z);
    const share = Math.min(Math.expm1(-spentEligible / scale) / Math.expm1(-spent / scale), 1 - 1e-12);
    logs.push(-0.5 * z * z + eligible * Math.log(share) + (registrations - eligible) * Math.log1p(-share));
    scales.push(scale);
  }
  const top = Math.max(...logs);
  const mass = logs.map((l) => Math.exp(l - top));
  const total = mass.reduce((n, m) => n + m, 0);
  let cumulative = 0;
  for (let k = 0; k < mass.length; k++) {
    cumulative += mass[k]! / total;
    if (u <= cumulative) return scales[k]!;
  }
  return scales[scales.length - 1]!;
}

/**
 * Gives `amount` to the channels in `rooms` as evenly as their rooms allow (equal increments, the
 * last few units one each in list order). Returns what each got and what could not be placed.
 */
function evenFill(amount: bigint, rooms: readonly bigint[]): { given: bigint[]; left: bigint } {
  const given = rooms.map(() => 0n);
  let left = amount;
  for (;;) {
    const open = rooms.map((_, i) => i).filter((i) => rooms[i]! - given[i]! > 0n);
    if (left <= 0n || open.length === 0) break;
    const share = left / BigInt(open.length);
    if (share === 0n) {
      for (const i of open) {
        if (left === 0n) break;
        given[i]! += 1n;
        left -= 1n;
      }
      continue;
    }
    for (const i of open) {
      const take = min(share, rooms[i]! - given[i]!);
      given[i]! += take;
      left -= take;
    }
  }
  return { given, left };
}

/**
 * Splits `amount` over the growing channels by marginal returns: each channel's cap rises until its
 * drawn marginal activations per minor unit meets the common level λ, or it meets its room. Returns
 * the whole-unit increments (summing to min(amount, Σ room)) and λ (null when every channel is at its room).
 */
function waterFill(
  amount: bigint,
  growing: readonly { lo: number; room: bigint; curve: { saturation: number; scaleMinor: number } }[],
): { given: bigint[]; level: number | null } {
  const totalRoom = growing.reduce((n, g) => n + g.room, 0n);
  if (totalRoom <= amount) return { given: growing.map((g) => g.room), level: null };
  const target = Number(amount);
  // ln of a curve's marginal value at a spend; the increment above lo at level λ, clipped to the room.
  const logMarginal = (g: (typeof growing)[number], spend: number) =>
    Math.log(g.curve.saturation / g.curve.scaleMinor) - spend / g.curve.scaleMinor;
  const incrementAt = (g: (typeof growing)[number], logLevel: number) => {
    const spend = g.curve.scaleMinor * (Math.log(g.curve.saturation / g.curve.scaleMinor) - logLevel);
    return Math.min(Math.max(spend - g.lo, 0), Number(g.room));
  };
  let top = Math.max(...growing.map((g) => logMarginal(g, g.lo))) + 1;
  let bottom = Math.min(...growing.map((g) => logMarginal(g, g.lo + Number(g.room)))) - 1;
  const totalAt = (logLevel: number) => growing.reduce((n, g) => n + incrementAt(g, logLevel), 0);
  for (let i = 0; i < 200 && top - bottom > 1e-13; i++) {
    const mid = (top + bottom) / 2;
    if (totalAt(mid) > target) bottom = mid;
    else top = mid;
  }
  const continuous = growing.map((g) => incrementAt(g, top));
  const given = continuous.map((x, i) => min(BigInt(Math.floor(x)), growing[i]!.room));
  // The remainder (a few units from rounding down) one unit each to the largest fractional parts.
  let remainder = amount - given.reduce((n, g) => n + g, 0n);
  const order = continuous
    .map((x, i) => ({ i, fraction: x - Math.floor(x) }))
    .sort((a, b) => b.fraction - a.fraction || a.i - b.i)
    .map((o) => o.i);
  while (remainder !== 0n) {
    let moved = false;
    for (const i of order) {
      if (remainder > 0n && given[i]! < growing[i]!.room) {
        given[i]! += 1n;
        remainder -= 1n;
        moved = true;
      } else if (remainder < 0n && given[i]! > 0n) {
        given[i]! -= 1n;
        remainder += 1n;
        moved = true;
      }
      if (remainder === 0n) break;
    }
    if (!moved) break; // cannot happen while Σ room > amount; kept as a guard against a float surprise
  }
  return { given, level: Math.exp(top) };
}

function formatMinor(value: number): string {
  return Math.round(value).toString();
}

export function reallocatePacing(input: PacingReviewInput): PacingDecision {
  validate(input);
  const budget = input.budgetMinor;
  const n = input.channels.length;
  if (n === 0) return { method: PACING_METHOD, channels: [] };
  const earlyShare = input.earlyShare ?? 1;
  const shareFloor = (budget * BigInt(Math.floor(input.floorShare * 1e9))) / PPB;
  const defaultScale = Math.max((DEFAULT_BEND * Number(budget)) / n, 1);

  const channels: Channel[] = input.channels.map((c) => {
    const spent = c.spentMinor;
    let floor = max(c.minMinor ?? 0n, shareFloor);
    if (c.maxMinor !== undefined) floor = min(floor, c.maxMinor);
    const hi = max(c.maxMinor !== undefined ? min(c.maxMinor, budget) : budget, spent);
    const prior = input.prior?.[c.channelCode];
    const usePrior = prior !== undefined && prior.weight > 0;
    // The spend that bought the eligible registrations: as stated, or (without it) the share of the
    // spend so far at one cost per registration across the campaign. × earlyShare turns early
    // activations into eventual ones.
    const boughtEligible =
      c.spentEligibleMinor !== undefined
        ? Number(c.spentEligibleMinor)
        : c.registrations > 0
          ? (Number(spent) * c.earlyEligible) / c.registrations
          : 0;
    const evidence = c.earlyEligible > 0 && boughtEligible > 0;
    let shape = 0;
    let rate = 0;
    if (evidence) {
      shape += EVIDENCE_PRIOR_SHAPE + c.earlyActivations;
      rate += earlyShare * boughtEligible;
    }
    if (usePrior) {
      shape += prior.weight;
      rate += (prior.weight * 1_000_000) / prior.activationsPerMillionMinor;
    }
    const status: Status = evidence ? 'evidence' : usePrior ? 'prior' : 'none';
    let curve: Channel['curve'] = null;
    if (status !== 'none') {
      const u = uniformsFor(input.seed, c.channelCode);
      const q = gammaQuantile(u.rate, shape, rate);
      let scaleMinor = prior?.scaleMinor ?? defaultScale;
      const eligibleSpend = c.spentEligibleMinor !== undefined ? Number(c.spentEligibleMinor) : null;
      if (eligibleSpend !== null && eligibleSpend > 0 && eligibleSpend < Number(spent) && c.registrations > 0)
        scaleMinor = drawBend(
          scaleMinor,
          eligibleSpend,
          Number(spent),
          c.earlyEligible,
          c.registrations,
          u.bend,
        );
      const s = evidence ? boughtEligible : Number(spent);
      // The drawn rate is the average over the spend behind the evidence: V·(1 − e^(−s/θ)) = q·s.
      const saturation = s > 0 ? (q * s) / -Math.expm1(-s / scaleMinor) : q * scaleMinor;
      if (saturation > 0 && Number.isFinite(saturation)) curve = { saturation, scaleMinor };
    }
    return { input: c, floor, hi, lo: spent, to: spent, status, shape, rate, curve };
  });

  const spentTotal = channels.reduce((s, c) => s + c.input.spentMinor, 0n);
  let floorsCut = false;
  if (spentTotal < budget) {
    const deficits = channels.map((c) => max(c.floor - c.input.spentMinor, 0n));
    const deficitTotal = deficits.reduce((s, d) => s + d, 0n);
    const available = budget - spentTotal;
    if (deficitTotal <= available) channels.forEach((c, i) => (c.lo += deficits[i]!));
    else {
      // The budget cannot hold every floor: each gets the same share of its shortfall, whole units.
      floorsCut = true;
      const shares = deficits.map((d) => (d * available) / deficitTotal);
      const { given } = evenFill(
        available - shares.reduce((s, v) => s + v, 0n),
        deficits.map((d, i) => d - shares[i]!),
      );
      channels.forEach((c, i) => (c.lo += shares[i]! + given[i]!));
    }
  }
  channels.forEach((c) => (c.to = c.lo));
  let free = budget - channels.reduce((s, c) => s + c.to, 0n);

  // 1. A channel without evidence or prior keeps its current cap (within its bounds): nothing says to move it.
  const unknown = channels.filter((c) => c.curve === null);
  if (free > 0n) {
    const wanted = unknown.map((c) => max(min(c.input.capMinor, c.hi) - c.to, 0n));
    const { given, left } = evenFill(free, wanted);
    unknown.forEach((c, i) => (c.to += given[i]!));
    free = left;
  }
  // 2. The rest by the drawn curves' marginal returns.
  const growing = channels.filter((c) => c.curve !== null && c.hi > c.to);
  let level: number | null = null;
  if (free > 0n && growing.length > 0) {
    const filled = waterFill(
      free,
      growing.map((c) => ({ lo: Number(c.to), room: c.hi - c.to, curve: c.curve! })),
    );
    growing.forEach((c, i) => (c.to += filled.given[i]!));
    free -= filled.given.reduce((s, g) => s + g, 0n);
    level = filled.level;
  }
  // 3. Whatever the curves could not take (every one at its maximum), evenly to the others' room.
  if (free > 0n) {
    const { given } = evenFill(
      free,
      channels.map((c) => c.hi - c.to),
    );
    channels.forEach((c, i) => (c.to += given[i]!));
  }

  const noneAnywhere = channels.every((c) => c.status === 'none');
  return {
    method: PACING_METHOD,
    channels: channels.map((c) =>
      decide(c, input, { level, floorsCut, noneAnywhere, overspent: spentTotal >= budget }),
    ),
  };
}

const AGE_UNITS = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
] as const;

/**
 * The early-activation window in words for a reason a marketer reads: "7 days", "12 hours", "1.5 hours",
 * "30 seconds" — the largest unit it is at least one of, to one decimal. The plan gives it as an ISO
 * duration and the policy takes days, so a window of hours or seconds (a short test campaign) would
 * otherwise read "0.000011574074074074073 days".
 */
export function ageText(days: number): string {
  const seconds = days * 86_400;
  const [unit, size] = AGE_UNITS.find(([, size]) => seconds >= size) ?? ['second', 1];
  const value = Math.round((seconds / size) * 10) / 10;
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

function decide(
  c: Channel,
  input: PacingReviewInput,
  context: { level: number | null; floorsCut: boolean; noneAnywhere: boolean; overspent: boolean },
): PacingChannelDecision {
  const e = c.input;
  const parts: string[] = [];
  if (c.status === 'evidence') {
    parts.push(
      `${e.earlyActivations} of ${e.earlyEligible} registrations at least ${ageText(input.earlyDays)} old activated within that time`,
    );
  } else {
    parts.push(
      `no activation evidence yet (no registration ${ageText(input.earlyDays)} old with spend behind it)`,
    );
  }
  const prior = input.prior?.[e.channelCode];
  if (c.status !== 'none' && prior && prior.weight > 0)
    parts.push(
      `history prior of ${prior.activationsPerMillionMinor.toPrecision(3)} activations per million minor units counted as ${prior.weight} activations`,
    );
  const expected = c.status !== 'none' && c.shape >= 1 && c.rate > 0 ? Math.round(c.rate / c.shape) : null;
  if (expected !== null) parts.push(`about ${formatMinor(expected)} minor units per activated customer`);

  const direction =
    c.to > e.capMinor
      ? `cap raised from ${e.capMinor} to ${c.to}`
      : c.to < e.capMinor
        ? `cap lowered from ${e.capMinor} to ${c.to}`
        : `cap kept at ${c.to}`;
  let why: string;
  if (context.overspent) why = 'the campaign has spent its budget: every cap is held at what was spent';
  else if (c.to === e.spentMinor && c.to > c.floor)
    why = 'it cannot go below what the channel has already spent';
  else if (e.maxMinor !== undefined && c.to >= e.maxMinor) why = 'at its maximum';
  else if (c.status === 'none' && context.noneAnywhere)
    why = 'no channel has evidence yet: caps kept, the rest split evenly above the floors';
  else if (c.status === 'none') why = 'nothing to move it on yet: its cap is kept, at least its floor';
  else if (c.to <= c.lo && c.lo === c.floor && c.floor > 0n)
    why = context.floorsCut
      ? 'held at the part of its floor the budget allows'
      : 'held at its floor so it is not starved before the evidence settles: its sampled marginal cost per activated customer is the highest';
  else if (context.level !== null)
    why = `to where its sampled marginal cost per activated customer meets the others' (about ${formatMinor(1 / context.level)} minor units)`;
  else why = 'every channel with evidence is at its maximum';
  const decision: PacingChannelDecision = {
    channelCode: e.channelCode,
    fromMinor: e.capMinor,
    toMinor: c.to,
    reason: `${parts.join('; ')}: ${direction}, ${why}`,
  };
  if (expected !== null) decision.expectedCostPerActivationMinor = BigInt(expected);
  return decision;
}
