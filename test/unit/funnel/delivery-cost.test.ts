// CPM and CPC billing from delivery reports: exact, rounded once on the running total.
import { deliveryCostMinor, reportCostMinor } from '../../../funnel/delivery-cost';

const cpm = { type: 'cpm' as const, amountMinor: 235 }; // ¥2.35 per 1,000 impressions
const cpc = { type: 'cpc' as const, amountMinor: 120 }; // ¥1.20 per click
const zero = { impressions: 0n, clicks: 0n };

describe('deliveryCostMinor', () => {
  it('bills CPM per mille, rounded down to the minor unit, and CPC per click', () => {
    expect(deliveryCostMinor(cpm, { impressions: 1_000n, clicks: 7n })).toBe(235n);
    expect(deliveryCostMinor(cpm, { impressions: 1_500n, clicks: 0n })).toBe(352n); // 352.5 → 352
    expect(deliveryCostMinor(cpm, { impressions: 4n, clicks: 0n })).toBe(0n); // 0.94 → 0
    expect(deliveryCostMinor(cpc, { impressions: 99_999n, clicks: 13n })).toBe(1_560n);
  });

  it('bills nothing for cost models paid otherwise (per placement, per registration)', () => {
    const totals = { impressions: 10_000n, clicks: 100n };
    expect(deliveryCostMinor({ type: 'fixed_per_placement', amountMinor: 50_000 }, totals)).toBe(0n);
    expect(deliveryCostMinor({ type: 'per_registration', amountMinor: 500 }, totals)).toBe(0n);
  });

  it('stays exact beyond what a double holds', () => {
    const huge = { impressions: 9_007_199_254_740_993n, clicks: 0n };
    expect(deliveryCostMinor({ type: 'cpm', amountMinor: 1_000 }, huge)).toBe(9_007_199_254_740_993n);
  });
});

describe('reportCostMinor', () => {
  it('makes many small reports cost exactly what one report of their sum costs', () => {
    let before = zero;
    let booked = 0n;
    for (let i = 0; i < 10; i++) {
      const report = { impressions: 150n, clicks: 0n };
      booked += reportCostMinor(cpm, before, report);
      before = { impressions: before.impressions + report.impressions, clicks: before.clicks };
    }
    expect(booked).toBe(reportCostMinor(cpm, zero, { impressions: 1_500n, clicks: 0n }));
    expect(booked).toBe(352n);
  });

  it('books the per-click price for each click of the report', () => {
    expect(reportCostMinor(cpc, { impressions: 500n, clicks: 4n }, { impressions: 100n, clicks: 3n })).toBe(
      360n,
    );
  });
});
