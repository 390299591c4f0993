// Beta-Binomial shrinkage: little history is pulled toward the kind's average, much history is not, and
// the strength of the pull comes from how much the kind's channels really differ.
import { DEFAULT_PRIOR_STRENGTH, kindPrior, shrinkRate } from '../../../planning/shrinkage';

describe('activation rates shrunk toward their kind', () => {
  const kind = [
    { registrations: 20_000, activations: 2_000 },
    { registrations: 30_000, activations: 3_600 },
    { registrations: 10_000, activations: 800 },
  ];

  it('takes the pooled rate as the prior mean and the between-channel spread as its strength', () => {
    const prior = kindPrior(kind);
    expect(prior.mean).toBeCloseTo(6_400 / 60_000, 12);
    expect(prior.strengthFrom).toBe('between_channel_spread');
    // Rates 10%, 12%, 8% around 10.67%: between-variance ≈ 2.22e-4 (minus binomial noise), so the
    // strength is about m(1−m)/τ² − 1 ≈ 430.
    const spread =
      (20_000 * (0.1 - prior.mean) ** 2 +
        30_000 * (0.12 - prior.mean) ** 2 +
        10_000 * (0.08 - prior.mean) ** 2) /
      60_000;
    const noise = (3 * prior.mean * (1 - prior.mean)) / 60_000;
    expect(prior.strength).toBeCloseTo((prior.mean * (1 - prior.mean)) / (spread - noise) - 1, 6);
  });

  it('pulls a channel with 40 registrations most of the way, one with 30,000 hardly at all', () => {
    const prior = kindPrior(kind);
    const small = shrinkRate({ registrations: 40, activations: 9 }, prior);
    expect(small.observed).toBeCloseTo(0.225, 12);
    expect(small.estimate).toBeCloseTo((9 + prior.mean * prior.strength) / (40 + prior.strength), 12);
    expect(small.estimate).toBeLessThan(0.13);
    const large = shrinkRate({ registrations: 30_000, activations: 3_600 }, prior);
    expect(Math.abs(large.estimate - 0.12)).toBeLessThan(0.002);
    for (const rate of [small, large]) {
      expect(rate.low).toBeLessThan(rate.estimate);
      expect(rate.high).toBeGreaterThan(rate.estimate);
    }
    expect(small.high - small.low).toBeGreaterThan(large.high - large.low);
  });

  it('uses the stated default strength when the kind has fewer than three channels', () => {
    const prior = kindPrior(kind.slice(0, 2));
    expect(prior).toMatchObject({ strength: DEFAULT_PRIOR_STRENGTH, strengthFrom: 'default', channels: 2 });
  });

  it('trusts the kind strongly when its channels differ no more than noise', () => {
    const alike = kindPrior([
      { registrations: 1_000, activations: 100 },
      { registrations: 1_000, activations: 101 },
      { registrations: 1_000, activations: 99 },
    ]);
    expect(alike.strength).toBe(100_000);
  });

  it('gives a channel without registrations the prior itself, interval included', () => {
    const prior = kindPrior(kind);
    const none = shrinkRate({ registrations: 0, activations: 0 }, prior);
    expect(none.observed).toBeNull();
    expect(none.estimate).toBeCloseTo(prior.mean, 12);
    expect(none.low).toBeGreaterThan(0);
  });
});
