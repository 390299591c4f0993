// plan.pacing's cross-field checks (the ones the zod schema cannot make alone) and the initial caps a
// campaign starts with: exact in minor units, summing to the budget in adaptive mode.
import { CampaignPlanSchema } from '../../../domain/campaign-plan';
import { checkPacingPlan, initialChannelCaps, type PacingContext } from '../../../domain/pacing-plan';
import { channelBudgetRefuses } from '../../../funnel/ingest/channel-budget';

const ctx: PacingContext = {
  channels: ['a', 'b', 'c'],
  acquisitionBudgetMinor: 10_000,
  registrationWindow: { start: '2026-03-01T00:00:00Z', end: '2026-03-31T00:00:00Z' },
  cohortGranularity: 'P1D',
};
const fields = (issues: { field: string }[]) => issues.map((i) => i.field).sort();

describe('checkPacingPlan', () => {
  it('accepts no pacing, fixed caps within the budget, and adaptive with a fitting floor', () => {
    expect(checkPacingPlan(undefined, ctx)).toEqual([]);
    expect(checkPacingPlan({ mode: 'fixed', channelCaps: { a: 5_000, b: 5_000 } }, ctx)).toEqual([]);
    expect(checkPacingPlan({ mode: 'adaptive', floorShare: 1 / 3, reviewEvery: 'PT1H' }, ctx)).toEqual([]);
  });

  it('names each field it refuses', () => {
    expect(fields(checkPacingPlan({ mode: 'fixed', channelCaps: { a: 6_000, z: 4_001 } }, ctx))).toEqual([
      'plan.pacing.channelCaps',
      'plan.pacing.channelCaps.z',
    ]);
    expect(
      fields(
        checkPacingPlan({ mode: 'adaptive', floorShare: 0.34 }, { ...ctx, acquisitionBudgetMinor: null }),
      ),
    ).toEqual(['plan.acquisitionBudgetMinor', 'plan.pacing.floorShare']);
    // 30 days at PT1M: 43,200 reviews.
    expect(fields(checkPacingPlan({ mode: 'adaptive', reviewEvery: 'PT1M' }, ctx))).toEqual([
      'plan.pacing.reviewEvery',
    ]);
    // Without reviewEvery, the cohort granularity is the interval: P1D over 30 days is fine.
    expect(checkPacingPlan({ mode: 'adaptive' }, ctx)).toEqual([]);
    expect(fields(checkPacingPlan({ mode: 'fixed', earlyActivationWithin: 'P1D' }, ctx))).toEqual([
      'plan.pacing.earlyActivationWithin',
    ]);
  });

  it('the caps are summed in bigint: amounts at the 10^12 bound do not lose precision', () => {
    const big = { ...ctx, acquisitionBudgetMinor: 1_000_000_000_000 };
    const caps = { a: 999_999_999_999, b: 1 };
    expect(checkPacingPlan({ mode: 'fixed', channelCaps: caps }, big)).toEqual([]);
    expect(checkPacingPlan({ mode: 'fixed', channelCaps: { ...caps, c: 1 } }, big)).toHaveLength(1);
  });

  it('the plan schema is strict and keeps an absent pacing absent', () => {
    const base = {
      registrationWindow: ctx.registrationWindow,
      activationRule: { event: 'login', atLeast: 1 },
    };
    expect('pacing' in CampaignPlanSchema.parse(base)).toBe(false);
    const typo = CampaignPlanSchema.safeParse({ ...base, pacing: { mode: 'fixed', floorshare: 0.1 } });
    expect(typo.success).toBe(false);
    const range = CampaignPlanSchema.safeParse({
      ...base,
      pacing: { mode: 'adaptive', reviewEvery: 'P32D' },
    });
    expect(range.error?.issues[0]?.path).toEqual(['pacing', 'reviewEvery']);
  });
});

describe('initialChannelCaps', () => {
  it('fixed: only the planned caps; adaptive: the rest of the budget split evenly, to the minor unit', () => {
    expect(initialChannelCaps(undefined, ['a'], 100)).toEqual(new Map());
    expect(initialChannelCaps({ mode: 'fixed', channelCaps: { b: 7 } }, ['a', 'b'], 100)).toEqual(
      new Map([['b', 7n]]),
    );
    const adaptive = initialChannelCaps(
      { mode: 'adaptive', channelCaps: { b: 1_000 } },
      ['a', 'b', 'c', 'd'],
      10_001,
    );
    expect(adaptive).toEqual(
      new Map([
        ['b', 1_000n],
        ['a', 3_001n],
        ['c', 3_000n],
        ['d', 3_000n],
      ]),
    );
    expect([...adaptive.values()].reduce((x, y) => x + y, 0n)).toBe(10_001n);
  });
});

describe('channelBudgetRefuses', () => {
  it('refuses when spent, or when the registration would overspend; no cap never refuses', () => {
    expect(channelBudgetRefuses(undefined, 500n)).toBe(false);
    const budget = (spent: bigint) => ({ capMinor: 1_000n, spentMinor: spent, reviewIndex: 0 });
    expect(channelBudgetRefuses(budget(500n), 500n)).toBe(false);
    expect(channelBudgetRefuses(budget(501n), 500n)).toBe(true);
    expect(channelBudgetRefuses(budget(1_000n), 0n)).toBe(true);
  });
});
