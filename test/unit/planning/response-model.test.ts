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

/** 60 cohorts of one campaign whose activations follow V(1 − e^(−s/θ)) at campaign scale, rate 10%. */
function cohortsOnCurve(saturation: number, scaleMinor: number): ResponsePoint[] {
  const cohorts = 60;
  return Array.from({ length: cohorts }, (_, i) => {
    const spendMinor = 20_000 + i * 3_000; // per cohort
    const activations = Math.round((saturation / cohorts) * -Math.expm1(-(spendMinor * cohorts) / scaleMinor));
    return { spendMinor, registrations: activations * 10, activations, perCampaign: cohorts };
  });
}

describe('fitting the response curve', () => {
  it('recovers the bend and level of a curve the history follows', () => {
    const curve = fitResponse(cohortsOnCurve(6_000, 4_000_000), prior)!;
    expect(curve.shapeIdentified).toBe(true);
    expect(curve.shapeFrom).toBe('activations');
    expect(curve.scaleMinor / 4_000_000).toBeGreaterThan(0.93);
    expect(curve.scaleMinor / 4_000_000).toBeLessThan(1.07);
    expect(curve.saturation / 6_000).toBeGreaterThan(0.95);
    expect(curve.saturation / 6_000).toBeLessThan(1.05);
    // The band of curves is narrow where the data are and holds the estimate.
    const at = 3_000_000;
    const { low, high } = activationsInterval(curve, at);
    expect(low).toBeLessThan(activationsAt(curve, at));
    expect(high).toBeGreaterThan(activationsAt(curve, at));
    expect((high - low) / activationsAt(curve, at)).toBeLessThan(0.2);
  });

  it('does not claim a bend from a single observation, but passes through it', () => {
    const point: ResponsePoint = { spendMinor: 42_614, registrations: 21_307, activations: 267, perCampaign: 1 };
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
    const curve = fitResponse(cohortsOnCurve(6_000, 4_000_000), prior)!;
    let previous = -1;
    let previousMargin = 0;
    for (let spend = 0; spend <= 20_000_000; spend += 500_000) {
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
    const curve = fitResponse(cohortsOnCurve(6_000, 4_000_000), prior)!;
    expect(activationsAt(curve, spendForActivations(curve, 2_500))).toBeCloseTo(2_500, 6);
    expect(spendForActivations(curve, curve.saturation * 1.01)).toBe(Number.POSITIVE_INFINITY);
    expect(registrationsAt(curve, 1_000_000)).toBeCloseTo(
      activationsAt(curve, 1_000_000) / curve.activationRate.estimate,
      9,
    );
  });

  it('fits the bend on registrations when nothing ever activated, with a shrunk rate above zero', () => {
    const points = cohortsOnCurve(6_000, 4_000_000).map((p) => ({ ...p, activations: 0 }));
    const curve = fitResponse(points, kindPrior([{ registrations: 5_000, activations: 400 }]))!;
    expect(curve.shapeFrom).toBe('registrations');
    expect(curve.activationRate.estimate).toBeGreaterThan(0);
    expect(activationsAt(curve, 1_000_000)).toBeGreaterThan(0);
  });

  it('has no curve without paid history; organic points are left out', () => {
    expect(fitResponse([], prior)).toBeNull();
    expect(fitResponse([{ spendMinor: 0, registrations: 50, activations: 5, perCampaign: 1 }], prior)).toBeNull();
    expect(fitResponse([{ spendMinor: 1_000, registrations: 0, activations: 0, perCampaign: 1 }], prior)).toBeNull();
  });
});
