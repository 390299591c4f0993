import { EngagementPlanSchema, MAX_PLAN_STEPS } from '../../../domain/engagement-plan';

const step = (id: string, offset: string, overrides: Record<string, unknown> = {}) => ({
  id,
  offset,
  kind: 'education',
  materialVersionId: 'mv_welcome_v3',
  channelCode: 'sms',
  audience: 'not_activated',
  costPerMessageMinor: 5,
  ...overrides,
});

const messages = (input: unknown) =>
  EngagementPlanSchema.safeParse(input).error?.issues.map((i) => i.message) ?? [];

describe('EngagementPlanSchema', () => {
  it('accepts a plan in time order, with two steps at one offset', () => {
    const plan = {
      steps: [
        step('day-1-welcome', 'P1D'),
        step('day-1-survey', 'P1D', {
          kind: 'engagement',
          audience: 'treatment_all',
          costPerMessageMinor: 0,
        }),
        step('day-3-tips', 'P3D', { audience: 'activated' }),
        step('day-7-reminder', 'P7DT12H'),
      ],
    };
    expect(EngagementPlanSchema.parse(plan)).toEqual(plan);
    expect(EngagementPlanSchema.parse({ steps: [] })).toEqual({ steps: [] });
  });

  it('refuses a step id used twice', () => {
    expect(messages({ steps: [step('hello', 'P1D'), step('hello', 'P2D')] })).toEqual([
      'Step id "hello" is used twice',
    ]);
  });

  it('refuses steps out of order of offset', () => {
    expect(messages({ steps: [step('later', 'P3D'), step('earlier', 'PT20S')] })).toEqual([
      'Steps must be listed in order of offset: "earlier" (PT20S) comes before "later" (P3D)',
    ]);
  });

  it.each([
    ['an id that is not a slug', step('Day 1', 'P1D')],
    ['an invalid offset', step('a', '1 day')],
    ['a month offset', step('a', 'P1M')],
    ['an unknown kind', step('a', 'P1D', { kind: 'promotion' })],
    ['an unknown audience', step('a', 'P1D', { audience: 'control' })],
    ['a negative cost', step('a', 'P1D', { costPerMessageMinor: -1 })],
    ['a fractional cost', step('a', 'P1D', { costPerMessageMinor: 0.5 })],
    ['an empty material version', step('a', 'P1D', { materialVersionId: ' ' })],
    ['an unknown field', step('a', 'P1D', { channel: 'sms' })],
  ])('refuses %s', (_label, bad) => {
    expect(EngagementPlanSchema.safeParse({ steps: [bad] }).success).toBe(false);
  });

  it(`refuses more than ${MAX_PLAN_STEPS} steps`, () => {
    const steps = Array.from({ length: MAX_PLAN_STEPS + 1 }, (_, i) => step(`step-${i}`, `PT${i}M`));
    expect(EngagementPlanSchema.safeParse({ steps: steps.slice(0, MAX_PLAN_STEPS) }).success).toBe(true);
    expect(messages({ steps })).toEqual([`A plan has at most ${MAX_PLAN_STEPS} steps`]);
  });
});
