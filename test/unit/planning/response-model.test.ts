// The response model: a saturating curve fitted on spend vs activations. Synthetic histories drawn
// exactly from a known curve must give that curve back; a single observation must not pretend to know
// the bend; the interval holds the estimate, and both grow with spend.
import {
  activationsAt,
  activationsInterval,
  fitResponse,
  marginalAacMinor,
  registrationsAt,
  spendForActivations,
  type ResponsePoint,
} from '../../../planning/response-model';
import { kindPrior } from '../../../planning/shrinkage';

const prior = kindPrior([]);

const COHORT_SPENDS = Array.from({ length: 60 }, (_, i) => 20_000 + i * 3_000);
const HISTORY_SPEND = COHORT_SPENDS.reduce((n, s) => n + s, 0);

/** 60 cohorts of one campaign whose activations follow V(1 − e^(−s/θ)) per cohort, activation rate 10%. */
function cohortsOnCurve(saturation: number, scaleMinor: number): ResponsePoint[] {
  return COHORT_SPENDS.map((spendMinor) => {
    const activations = Math.round(saturation * -Math.expm1(-spendMinor / scaleMinor));
    return { spendMinor, registrations: activations * 10, activations, campaign: 'c1' };
  });
}

/** The true campaign's marginal activations at spend B spread like COHORT_SPENDS. */
function trueSlope(saturation: number, scaleMinor: number, budget: number): number {
  return COHORT_SPENDS.reduce((n, s) => {
    const k = s / HISTORY_SPEND / scaleMinor;
    return n + saturation * k * Math.exp(-budget * k);
  }, 0);
}

describe('fitting the response curve', () => {
  it('passes through the history and bends as the cohorts do', () => {
    const points = cohortsOnCurve(400, 60_000);
    const curve = fitResponse(points, prior)!;
    expect(curve.shapeIdentified).toBe(true);
    expect(curve.shapeFrom).toBe('activations');
    expect(curve.observedSpendMaxMinor).toBe(HISTORY_SPEND);
    // At the history's spend: its activations (the rate barely shrinks with 10% over ~100,000 registrations).
    const activations = points.reduce((n, p) => n + p.activations, 0);
    const shrink = curve.activationRate.estimate / curve.activationRate.observed!;
    expect(activationsAt(curve, HISTORY_SPEND)).toBeCloseTo(activations * shrink, 3);
    // Its slope there is the true campaign's slope, within the grid's resolution.
    const slope =
      -(activationsAt(curve, HISTORY_SPEND - 1_000) - activationsAt(curve, HISTORY_SPEND + 1_000)) / 2_000;
    expect(slope / trueSlope(400, 60_000, HISTORY_SPEND)).toBeGreaterThan(0.9);
    expect(slope / trueSlope(400, 60_000, HISTORY_SPEND)).toBeLessThan(1.1);
    // The band of curves is narrow where the data are and holds the estimate.
    const at = HISTORY_SPEND;
    const { low, high } = activationsInterval(curve, at);
    expect(low).toBeLessThan(activationsAt(curve, at));
    expect(high).toBeGreaterThan(activationsAt(curve, at));
    expect((high - low) / activationsAt(curve, at)).toBeLessThan(0.2);
  });

  it('does not claim a bend from a single observation, but passes through it', () => {
    const point: ResponsePoint = {
      spendMinor: 42_614,
      registrations: 21_307,
      activations: 267,
      campaign: 'c1',
    };
    const curve = fitResponse([point], kindPrior([{ registrations: 21_307, activations: 267 }]))!;
    expect(curve.shapeIdentified).toBe(false);
    // The prior puts the bend at twice the observed spend.
    expect(curve.scaleMinor / (2 * 42_614)).toBeCloseTo(1, 1);
    const expected = (curve.activationRate.estimate / (267 / 21_307)) * 267;
    expect(activationsAt(curve, 42_614)).toBeCloseTo(expected, 6);
    // Far beyond the observation the interval is wide: the history cannot say how returns diminish.
    const beyond = activationsInterval(curve, 10 * 42_614);
    expect(beyond.high / beyond.low).toBeGreaterThan(3);
  });

  it('is increasing and concave in spend: the marginal AAC rises', () => {
    const curve = fitResponse(cohortsOnCurve(400, 60_000), prior)!;
    let previous = -1;
    let previousMargin = 0;
    for (let spend = 0; spend <= 20_000_000; spend += 250_000) {
      const value = activationsAt(curve, spend);
      expect(value).toBeGreaterThan(previous);
      expect(marginalAacMinor(curve, spend)).toBeGreaterThan(previousMargin);
      const { low, high } = activationsInterval(curve, spend);
      expect(low).toBeLessThanOrEqual(value + 1e-9);
      expect(high).toBeGreaterThanOrEqual(value - 1e-9);
      previous = value;
      previousMargin = marginalAacMinor(curve, spend);
    }
    expect(activationsAt(curve, 1e15)).toBeLessThanOrEqual(curve.saturation);
  });

  it('inverts: the spend for a volume brings that volume; beyond saturation there is none', () => {
    const curve = fitResponse(cohortsOnCurve(400, 60_000), prior)!;
    expect(activationsAt(curve, spendForActivations(curve, 2_500))).toBeCloseTo(2_500, 6);
    expect(curve.saturation).toBeGreaterThan(2_500);
    expect(spendForActivations(curve, curve.saturation * 1.01)).toBe(Number.POSITIVE_INFINITY);
    expect(registrationsAt(curve, 1_000_000)).toBeCloseTo(
      activationsAt(curve, 1_000_000) / curve.activationRate.estimate,
      9,
    );
  });

  it('fits the bend on registrations when nothing ever activated, with a shrunk rate above zero', () => {
    const points = cohortsOnCurve(400, 60_000).map((p) => ({ ...p, activations: 0 }));
    const curve = fitResponse(points, kindPrior([{ registrations: 5_000, activations: 400 }]))!;
    expect(curve.shapeFrom).toBe('registrations');
    expect(curve.activationRate.estimate).toBeGreaterThan(0);
    expect(activationsAt(curve, 1_000_000)).toBeGreaterThan(0);
  });

  it('has no curve without paid history; organic points are left out', () => {
    expect(fitResponse([], prior)).toBeNull();
    expect(
      fitResponse([{ spendMinor: 0, registrations: 50, activations: 5, campaign: 'c1' }], prior),
    ).toBeNull();
    expect(
      fitResponse([{ spendMinor: 1_000, registrations: 0, activations: 0, campaign: 'c1' }], prior),
    ).toBeNull();
  });
});
