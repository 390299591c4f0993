// The profilers' report (ingest-profile.ts, event-profile.ts): the mean milliseconds of each step over
// the first batches after the warm-up and over the last ones, printed as a table, and the same figures
// for the BENCH line — so that a step that slows as the campaign grows shows as two numbers side by side.

/** The window both means are taken over: a quarter of the rounds, between 1 and 10. */
export function stepWindow(rounds: number): number {
  return Math.max(1, Math.min(10, Math.floor(rounds / 4)));
}

export interface StepFigures {
  firstBatchesMs: number;
  lastBatchesMs: number;
  /** `<step>Ms`: each step's mean over the last window. */
  [stepMs: string]: number;
}

/**
 * Prints `title`, then per step its mean over rounds 2…window+1 (round 1 warms up) and over the last
 * `window`, then their totals; returns the figures for the BENCH line.
 */
export function printStepTable<S extends string>(
  title: string,
  steps: readonly S[],
  spans: readonly Record<S, number>[],
  roundName: string,
): StepFigures {
  const window = stepWindow(spans.length);
  const mean = (rows: readonly Record<S, number>[], step: S) =>
    rows.reduce((sum, r) => sum + r[step], 0) / rows.length;
  const first = spans.slice(1, 1 + window);
  const last = spans.slice(-window);
  const total = (rows: readonly Record<S, number>[]) => steps.reduce((sum, s) => sum + mean(rows, s), 0);
  console.log(title);
  console.log(`  step                  ${roundName} 2–${window + 1}    last ${window} (of ${spans.length})`);
  const row = (name: string, a: number, b: number) =>
    console.log(`  ${name.padEnd(20)} ${a.toFixed(1).padStart(10)} ${b.toFixed(1).padStart(14)}`);
  for (const s of steps) row(s, mean(first, s), mean(last, s));
  row('total', total(first), total(last));
  const figures: StepFigures = {
    firstBatchesMs: Number(total(first).toFixed(1)),
    lastBatchesMs: Number(total(last).toFixed(1)),
  };
  for (const s of steps) figures[`${s}Ms`] = Number(mean(last, s).toFixed(1));
  return figures;
}
