// The simulated market of the backtest (scripts/backtest/market.ts): its splits are whole minor units
// summing to the budget, the oracle's is the best under the true curves (what makes it an oracle),
// the same seed gives the same figures, and the market's channels differ the way the traffic
// generator's kinds do.
import {
  adaptiveSplit,
  evenSplit,
  historyOf,
  marketOf,
  oracleSplit,
  plannerSplit,
  runSeed,
  SCENARIO,
  trueActivations,
} from '../../../scripts/backtest/market';

const total = (split: readonly number[]) => split.reduce((n, s) => n + s, 0);

describe('simulated 10-channel market', () => {
  it.each([201, 202, 203])('seed %d: every split spends the budget exactly; the oracle is best', (seed) => {
    const market = marketOf(seed);
    const history = historyOf(market);
    const planner = plannerSplit(market, history);
    const adaptive = adaptiveSplit(
      market,
      {
        initialCaps: planner.split,
        priors: planner.priors,
        earlyShare: history.earlyShare,
        reportEligibleSpend: true,
      },
      1,
    );
    const splits = {
      even: evenSplit(market),
      planner: planner.split,
      adaptive: adaptive.split,
      oracle: oracleSplit(market),
    };
    for (const split of Object.values(splits)) {
      expect(split).toHaveLength(10);
      expect(total(split)).toBe(SCENARIO.budgetMinor);
      for (const s of split) expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
    }
    const oracle = trueActivations(market, splits.oracle);
    for (const split of [splits.even, splits.planner, splits.adaptive])
      expect(trueActivations(market, split)).toBeLessThanOrEqual(oracle * (1 + 1e-9));
    expect(adaptive.reviews).toBe(Math.floor((SCENARIO.days - 1) / SCENARIO.reviewEveryDays));
    expect(history.earlyShare).toBeGreaterThan(0.05);
    expect(history.earlyShare).toBeLessThan(0.9);
  });

  it('gives the same figures for the same seed', () => {
    expect(runSeed(7)).toEqual(runSeed(7));
  });

  it('has offline channels dearer per registration than ecosystem ones, as the generator implies', () => {
    const market = marketOf(1);
    const costPerRegistration = (code: string) => {
      const c = market.channels.find((x) => x.code === code)!;
      return c.scaleMinor / c.saturationRegistrations;
    };
    expect(costPerRegistration('branch')).toBeGreaterThan(costPerRegistration('ecommerce'));
    expect(costPerRegistration('account-manager')).toBeGreaterThan(costPerRegistration('payment'));
  });
});
