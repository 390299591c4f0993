// The planner on small hand-made markets whose answer is known: the cheaper channel grows until its
// margin meets the dearer one's; a maximum holds and says so; a channel whose first activation costs
// more than the plan's margin gets nothing and says why; a plan is refused when the minimums exceed the
// budget; max_lroi leaves unspent what brings no net revenue.
import { buildPlan, PlanningInputError, type PlanningInput } from '../../../planning/plan';
import { marginalAacMinor } from '../../../planning/response-model';

/** A channel with 10 campaigns-worth of cohorts at `costPerActivation` and a clear bend. */
function history(costPerActivation: number, campaign = 'c1') {
  const points = [40_000, 80_000, 160_000, 320_000, 640_000].map((spendMinor) => {
    const activations = Math.round((spendMinor / costPerActivation) * (1 - spendMinor / 2_000_000));
    return { spendMinor, registrations: activations * 5, activations, campaign };
  });
  return { points, campaigns: 1, periodRevenueMinor: 0, periodCostMinor: 0 };
}

const candidate = (
  channelCode: string,
  more: Partial<PlanningInput['candidates'][number]['candidate']> = {},
) => ({
  channelCode,
  materialVariant: null,
  kind: 'financial_scenario',
  minimumMinor: 0,
  maximumMinor: null,
  capacityRegistrations: null,
  ...more,
});

const input = (over: Partial<PlanningInput> = {}): PlanningInput => ({
  currency: 'CNY',
  budgetMinor: 1_000_000,
  objective: { type: 'max_activations' },
  explorationFloorBasisPoints: 500,
  candidates: [
    { candidate: candidate('app'), history: history(1_000) },
    { candidate: candidate('wechat'), history: history(1_500) },
  ],
  kindPools: {},
  ...over,
});

describe('the allocation planner', () => {
  it('grows both channels until their marginal AAC is the same, and spends the budget exactly', () => {
    const plan = buildPlan(input());
    const [app, wechat] = plan.channels;
    expect(app!.spendMinor + wechat!.spendMinor).toBe(1_000_000);
    expect(app!.spendMinor).toBeGreaterThan(wechat!.spendMinor);
    expect(app!.bound).toBe('margin');
    expect(wechat!.bound).toBe('margin');
    const ratio =
      marginalAacMinor(app!.model!, app!.spendMinor) / marginalAacMinor(wechat!.model!, wechat!.spendMinor);
    expect(Math.abs(ratio - 1)).toBeLessThan(1e-3);
    expect(app!.reason).toMatch(/^\d+\.\d\d CNY: spent until its next activation would cost \d+\.\d\d CNY/);
    expect(plan.totals.aacMinor.defined).toBe(true);
  });

  it('holds a maximum and says so', () => {
    const plan = buildPlan(
      input({
        candidates: [
          { candidate: candidate('app', { maximumMinor: 100_000 }), history: history(1_000) },
          { candidate: candidate('wechat'), history: history(1_500) },
        ],
      }),
    );
    expect(plan.channels[0]).toMatchObject({ spendMinor: 100_000, bound: 'maximum' });
    expect(plan.channels[0]!.reason).toMatch(/its maximum spend: even there the next activation costs/);
    expect(plan.channels[1]!.spendMinor).toBe(900_000);
  });

  it('gives nothing to a channel whose first activation costs more than the margin elsewhere', () => {
    const plan = buildPlan(
      input({
        budgetMinor: 50_000,
        candidates: [
          { candidate: candidate('app'), history: history(1_000) },
          { candidate: candidate('branch'), history: history(60_000) },
        ],
      }),
    );
    const branch = plan.channels.find((c) => c.channelCode === 'branch')!;
    expect(branch).toMatchObject({ spendMinor: 0, bound: 'none' });
    expect(branch.reason).toMatch(/^None: even its first activations would cost/);
    expect(branch.aacMinor).toEqual({ defined: false, reason: 'no_spend' });
  });

  it('refuses minimums above the budget, naming the budget', () => {
    const bad = input({
      candidates: [{ candidate: candidate('app', { minimumMinor: 2_000_000 }), history: history(1_000) }],
    });
    expect(() => buildPlan(bad)).toThrow(PlanningInputError);
    try {
      buildPlan(bad);
    } catch (err) {
      expect((err as PlanningInputError).field).toBe('budget.minor');
    }
  });

  it('max_lroi spends nothing beyond the minimums where no history shows net revenue', () => {
    const plan = buildPlan(input({ objective: { type: 'max_lroi' } }));
    expect(plan.allocatedMinor).toBe(0);
    expect(plan.unallocatedMinor).toBe(1_000_000);
    expect(plan.channels.every((c) => c.bound === 'no_value')).toBe(true);
    expect(plan.notes.join(' ')).toMatch(/no candidate’s history shows new-customer-period revenue/i);
  });

  it('max_lroi prefers the channel whose customers bring more net revenue', () => {
    const rich = { ...history(1_500), periodRevenueMinor: 50_000_000, periodCostMinor: 1_000_000 };
    const poor = { ...history(1_000), periodRevenueMinor: 2_000_000, periodCostMinor: 1_000_000 };
    const plan = buildPlan(
      input({
        objective: { type: 'max_lroi' },
        candidates: [
          { candidate: candidate('app'), history: poor },
          { candidate: candidate('wechat'), history: rich },
        ],
      }),
    );
    const [app, wechat] = plan.channels;
    expect(wechat!.spendMinor).toBeGreaterThan(app!.spendMinor);
    expect(plan.totals.lroi.defined).toBe(true);
  });
});
