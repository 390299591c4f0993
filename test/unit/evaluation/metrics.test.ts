// Every ratio, defined and undefined, as exact rationals.
import * as metrics from '../../../evaluation/metrics';
import { rational, type Rational } from '../../../evaluation/rational';

function value(ratio: metrics.ExactRatio): Rational {
  if (!ratio.defined) throw new Error(`undefined: ${ratio.reason}`);
  return ratio.value;
}

describe('evaluation ratios', () => {
  it('CAC is acquisition cost per valid registration', () => {
    expect(value(metrics.cac(100_000, 40))).toEqual(rational(2500));
    expect(value(metrics.cac(100, 3))).toEqual(rational(100, 3));
    expect(value(metrics.cac(0, 3))).toEqual(rational(0)); // a free channel costs 0 per customer
    expect(metrics.cac(100, 0)).toEqual({ defined: false, reason: 'no_registrations' });
  });

  it('AAC is acquisition cost per activated customer, never Infinity', () => {
    expect(value(metrics.aac(100_000, 8))).toEqual(rational(12_500));
    expect(metrics.aac(100_000, 0)).toEqual({ defined: false, reason: 'no_activations' });
    expect(metrics.aac(0, 0)).toEqual({ defined: false, reason: 'no_activations' });
  });

  it('activation rate is activated per valid registration', () => {
    expect(value(metrics.activationRate(8, 40))).toEqual(rational(1, 5));
    expect(value(metrics.activationRate(0, 40))).toEqual(rational(0));
    expect(metrics.activationRate(0, 0)).toEqual({ defined: false, reason: 'no_registrations' });
  });

  it('registrations per placement is a yield that may exceed 1', () => {
    expect(value(metrics.registrationsPerPlacement(40, 3))).toEqual(rational(40, 3));
    expect(metrics.registrationsPerPlacement(40, 0)).toEqual({ defined: false, reason: 'no_placements' });
  });

  it('revenue per customer divides period revenue by valid registrations', () => {
    expect(value(metrics.revenuePerCustomer(1001, 4))).toEqual(rational(1001, 4));
    expect(metrics.revenuePerCustomer(1001, 0)).toEqual({ defined: false, reason: 'no_registrations' });
  });

  it('LROI divides period revenue by period-scope cost only', () => {
    expect(value(metrics.lroi(30_000, 12_000))).toEqual(rational(5, 2));
    expect(value(metrics.lroi(0, 12_000))).toEqual(rational(0));
    expect(metrics.lroi(30_000, 0)).toEqual({ defined: false, reason: 'zero_cost' });
    expect(metrics.lroi(30_000, -5)).toEqual({ defined: false, reason: 'negative_cost' });
  });

  it('ROI is net return on total cost and may be negative', () => {
    expect(value(metrics.roi(30_000, 10_000))).toEqual(rational(2));
    expect(value(metrics.roi(5_000, 10_000))).toEqual(rational(-1, 2));
    expect(metrics.roi(5_000, 0)).toEqual({ defined: false, reason: 'zero_cost' });
  });

  it('difference and quotient carry the first undefined reason', () => {
    const rate = metrics.activationRate(1, 4);
    const none = metrics.activationRate(0, 0);
    expect(value(metrics.difference(rate, metrics.activationRate(1, 8)))).toEqual(rational(1, 8));
    expect(metrics.difference(none, rate)).toEqual({ defined: false, reason: 'no_registrations' });
    expect(metrics.quotient(rate, metrics.activationRate(0, 3), 'control_rate_zero')).toEqual({
      defined: false,
      reason: 'control_rate_zero',
    });
    expect(value(metrics.quotient(metrics.cac(100, 4), rate, 'no_activations'))).toEqual(
      value(metrics.aac(100, 1)),
    );
  });
});
