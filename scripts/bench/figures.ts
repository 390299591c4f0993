// Pure arithmetic of the benchmarks' figures and their last line, `BENCH {json}`, kept apart from the
// scripts (which need servers) so that it is unit-tested: a wrong ratio here would misreport every run.

/** The median of the values (the upper one of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/** Nearest-rank percentile (0 < p ≤ 100) of the values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new Error('percentile must be in (0, 100]');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] as number;
}

/** Items per second, rounded to a whole number. */
export function perSecond(items: number, milliseconds: number): number {
  if (!(milliseconds > 0)) throw new Error('a rate needs a positive duration');
  return Math.round((items * 1000) / milliseconds);
}

/** a ÷ b to two decimals (as the BENCH lines report ratios). */
export function ratio(a: number, b: number): number {
  if (!(b > 0)) throw new Error('a ratio needs a positive divisor');
  return Math.round((a / b) * 100) / 100;
}

/**
 * Extrapolates a cost measured at two sizes to a third along the straight line through both points
 * (what each design's wall time is assumed to follow between and beyond the measured sizes).
 */
export function extrapolateLinear(
  a: { size: number; value: number },
  b: { size: number; value: number },
  size: number,
): number {
  if (a.size === b.size) throw new Error('two different sizes are needed');
  const slope = (b.value - a.value) / (b.size - a.size);
  return a.value + slope * (size - a.size);
}

export type BenchFigures = { bench: string } & Record<string, string | number | boolean | null>;

/** The benchmark's last line: `BENCH ` and one JSON object, figures only (no nested values). */
export function benchLine(figures: BenchFigures): string {
  for (const [key, value] of Object.entries(figures)) {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error(`${key} is not a finite number`);
  }
  return `BENCH ${JSON.stringify(figures)}`;
}
