// Property tests of the pacing policy over many random reviews from the project's seeded mulberry32
// (every failure is reproducible by its seed): caps never below spend, never above a maximum, summing
// to the budget exactly in minor units, floors held where the budget allows, the same answer for the
// same input, no division by zero without evidence, and more evidence of cheaper activations on a
// channel never costs it budget.
import {
  reallocatePacing,
  type PacingChannelEvidence,
  type PacingReviewInput,
} from '../../../planning/pacing-policy';
import { seededRandom } from '../../../simulator/random';

function generator(seed: number): (below: number) => number {
  const random = seededRandom(seed);
  return (below) => Math.floor(random() * below);
}

function randomReview(seed: number): PacingReviewInput {
  const random = generator(seed);
  const count = 1 + random(10);
  const budget = 1 + random(random(2) === 0 ? 10_000 : 5_000_000_000);
  // Spend so far: a share of the budget (sometimes all of it), split at random, so Σ spent ≤ budget.
  let spendLeft = random(4) === 0 ? budget : Math.floor((budget * random(1_001)) / 1_000);
  const floorShare = random(3) === 0 ? 0 : random(1_000) / 1_000 / count;
  const channels: PacingChannelEvidence[] = Array.from({ length: count }, (_, i) => {
    const spent = random(3) === 0 ? 0 : Math.min(spendLeft, random(spendLeft + 1));
    spendLeft -= spent;
    const registrations = random(5) === 0 ? 0 : random(spent > 0 ? 20_000 : 50);
    const earlyEligible = random(registrations + 1);
    const activations = random(registrations + 1);
    const earlyActivations = random(Math.min(earlyEligible, activations) + 1);
    const c: PacingChannelEvidence = {
      channelCode: `ch-${i}`,
      capMinor: BigInt(spent + random(budget + 1)),
      spentMinor: BigInt(spent),
      registrations,
      activations,
      earlyActivations,
      earlyEligible,
    };
    if (random(2) === 0) c.spentEligibleMinor = BigInt(random(spent + 1));
    if (random(4) === 0) c.minMinor = BigInt(random(Math.floor(budget / count) + 1));
    if (random(4) === 0) c.maxMinor = BigInt((c.minMinor ?? 0n) + BigInt(random(budget + 1)));
    return c;
  });
  const input: PacingReviewInput = {
    budgetMinor: BigInt(budget),
    channels,
    floorShare,
    earlyDays: 1 + random(14),
    seed: `r${seed}`,
  };
  if (random(2) === 0) input.earlyShare = (1 + random(100)) / 100;
  if (random(3) === 0) {
    input.prior = {};
    for (const c of channels)
      if (random(2) === 0)
        input.prior[c.channelCode] = {
          activationsPerMillionMinor: 1 + random(5_000),
          weight: random(50),
          ...(random(2) === 0 ? { scaleMinor: 1 + random(budget) } : {}),
        };
  }
  return input;
}

function floorOf(input: PacingReviewInput, c: PacingChannelEvidence): bigint {
  const share = (input.budgetMinor * BigInt(Math.floor(input.floorShare * 1e9))) / 1_000_000_000n;
  let floor = c.minMinor !== undefined && c.minMinor > share ? c.minMinor : share;
  if (c.maxMinor !== undefined && c.maxMinor < floor) floor = c.maxMinor;
  return floor;
}

const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);

describe('pacing policy properties over 300 random reviews', () => {
  it.each(SEEDS)('seed %d: caps within spend and maximum, Σ = budget exactly, floors held', (seed) => {
    const input = randomReview(seed);
    const decision = reallocatePacing(input);
    expect(decision.channels.map((c) => c.channelCode)).toEqual(input.channels.map((c) => c.channelCode));
    const total = decision.channels.reduce((s, c) => s + c.toMinor, 0n);
    let allAtMax = true;
    const spentAndFloors = input.channels.reduce((s, c) => {
      const floor = floorOf(input, c);
      return s + (c.spentMinor > floor ? c.spentMinor : floor);
    }, 0n);
    decision.channels.forEach((d, i) => {
      const c = input.channels[i]!;
      expect(d.fromMinor).toBe(c.capMinor);
      expect(d.toMinor).toBeGreaterThanOrEqual(c.spentMinor);
      const ceiling =
        c.maxMinor !== undefined && c.maxMinor < input.budgetMinor ? c.maxMinor : input.budgetMinor;
      expect(d.toMinor).toBeLessThanOrEqual(ceiling > c.spentMinor ? ceiling : c.spentMinor);
      if (d.toMinor < ceiling) allAtMax = false;
      if (spentAndFloors <= input.budgetMinor) expect(d.toMinor).toBeGreaterThanOrEqual(floorOf(input, c));
      expect(d.reason).not.toMatch(/NaN|Infinity|undefined/);
      if (d.expectedCostPerActivationMinor !== undefined)
        expect(d.expectedCostPerActivationMinor).toBeGreaterThanOrEqual(0n);
      const hasPrior = (input.prior?.[c.channelCode]?.weight ?? 0) > 0;
      if (!(c.earlyEligible > 0 && c.spentMinor > 0n) && !hasPrior) {
        expect(d.reason).toContain('no activation evidence yet');
        expect(d.expectedCostPerActivationMinor).toBeUndefined();
      }
    });
    if (allAtMax) expect(total).toBeLessThanOrEqual(input.budgetMinor);
    else expect(total).toBe(input.budgetMinor);
  });

  it.each(SEEDS.slice(0, 100))('seed %d: the same input gives the same decision', (seed) => {
    const a = reallocatePacing(randomReview(seed));
    const b = reallocatePacing(randomReview(seed));
    expect(b).toEqual(a);
  });

  it.each(SEEDS.slice(0, 150))(
    'seed %d: more early activations on a channel (the same spend) never lower its cap',
    (seed) => {
      const input = randomReview(seed);
      const before = reallocatePacing(input);
      input.channels.forEach((c, i) => {
        if (c.earlyActivations >= c.earlyEligible) return;
        const more = structuredClone(input);
        const target = more.channels[i]!;
        const extra = Math.max(1, Math.floor((c.earlyEligible - c.earlyActivations) / 2));
        target.earlyActivations += extra;
        target.activations = Math.min(
          target.registrations,
          Math.max(target.activations, target.earlyActivations),
        );
        const after = reallocatePacing(more);
        expect(after.channels[i]!.toMinor).toBeGreaterThanOrEqual(before.channels[i]!.toMinor);
      });
    },
  );

  it.each(SEEDS.slice(0, 100))('seed %d: the same activations for less spend never lower the cap', (seed) => {
    // Less spend behind the same evidence = cheaper activations; the lower bound (the spend) falls
    // with it, so the comparison is of the cap above what was spent.
    const input = randomReview(seed);
    input.channels.forEach((c, i) => {
      if (c.spentMinor < 2n || c.earlyEligible === 0) return;
      const cheaper = structuredClone(input);
      cheaper.channels[i]!.spentMinor = c.spentMinor / 2n;
      if (c.spentEligibleMinor !== undefined)
        cheaper.channels[i]!.spentEligibleMinor = c.spentEligibleMinor / 2n;
      const before = reallocatePacing(input).channels[i]!.toMinor;
      const after = reallocatePacing(cheaper).channels[i]!.toMinor;
      expect(after).toBeGreaterThanOrEqual(before - (c.spentMinor - c.spentMinor / 2n));
    });
  });
});
