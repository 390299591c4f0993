// What a chaos run prints: a table of the faults with their recovery times, a table of the invariants,
// and the one BENCH line that lets one run be compared with the next (docs/benchmarks.md). Pure, so the
// formatting is unit-tested (test/unit/chaos/report.test.ts).
import type { InvariantSummary } from './invariants';

export interface FaultOutcome {
  /** 1-based, in the order injected. */
  n: number;
  kind: string;
  /** Seconds since the run's campaign started acquiring. */
  atSeconds: number;
  /** What the fault hit, e.g. "mid-batch", "worker 2 running step welcome of cohort …". */
  context: string;
  /** Seconds from the fault to recovery, as `measuredTo` says; null when it did not recover in time. */
  recoverySeconds: number | null;
  /** What recovery was measured to: "next accepted batch", "workflow answered", "step resumed", … */
  measuredTo: string;
}

export interface RunFigures {
  registrationsAccepted: number;
  eventsAccepted: number;
  messages: number;
  batches: number;
  retries: number;
  durationSeconds: number;
  /** Processes that exited on their own (not killed by the run) and were started again. */
  unexpectedExits: number;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

const secs = (s: number | null) => (s === null ? 'not recovered' : s.toFixed(1));

export function faultTable(faults: readonly FaultOutcome[]): string[] {
  return table(
    ['#', 'fault', 'at (s)', 'hit', 'recovery (s)', 'measured to'],
    faults.map((f) => [
      String(f.n),
      f.kind,
      f.atSeconds.toFixed(0),
      f.context,
      secs(f.recoverySeconds),
      f.measuredTo,
    ]),
  );
}

export function invariantTable(summary: InvariantSummary): string[] {
  return table(
    ['invariant', 'result', 'count', 'detail'],
    summary.results.map((r) => [r.name, r.ok ? 'ok' : 'FAILED', String(r.value), r.detail]),
  );
}

/** The largest recovery time; a fault that never recovered makes it null (and the run fails). */
export function maxRecoverySeconds(faults: readonly FaultOutcome[]): number | null {
  let max = 0;
  for (const f of faults) {
    if (f.recoverySeconds === null) return null;
    max = Math.max(max, f.recoverySeconds);
  }
  return Math.round(max * 10) / 10;
}

export function benchLine(
  faults: readonly FaultOutcome[],
  summary: InvariantSummary,
  figures: RunFigures,
): string {
  const bench = {
    bench: 'chaos',
    faults: faults.length,
    acceptedLost: summary.acceptedLost,
    duplicateMessages: summary.duplicateMessages,
    skippedMessages: summary.skippedMessages,
    duplicatePlacements: summary.duplicatePlacements,
    maxRecoverySeconds: maxRecoverySeconds(faults),
    storedTwice: summary.storedTwice,
    eventsLost: summary.eventsLost,
    livePlacementsLeft: summary.livePlacementsLeft,
    campaignCompleted: summary.campaignCompleted,
    evaluationMismatches: summary.evaluationMismatches,
    registrationsAccepted: figures.registrationsAccepted,
    eventsAccepted: figures.eventsAccepted,
    messages: figures.messages,
    retries: figures.retries,
    unexpectedExits: figures.unexpectedExits,
    durationSeconds: Math.round(figures.durationSeconds),
    ok: summary.ok && maxRecoverySeconds(faults) !== null,
  };
  return `BENCH ${JSON.stringify(bench)}`;
}

/** The whole report: both tables, the run's figures, and the BENCH line last. */
export function renderReport(
  faults: readonly FaultOutcome[],
  summary: InvariantSummary,
  figures: RunFigures,
): string[] {
  return [
    '',
    'Faults',
    ...faultTable(faults),
    '',
    'Invariants',
    ...invariantTable(summary),
    '',
    `registrations accepted ${figures.registrationsAccepted}, events accepted ${figures.eventsAccepted}, ` +
      `messages ${figures.messages}, batches ${figures.batches}, retries ${figures.retries}, ` +
      `unexpected exits ${figures.unexpectedExits}, ${Math.round(figures.durationSeconds)} s`,
    benchLine(faults, summary, figures),
  ];
}

/** The run fails if an invariant fails or a fault never recovered. */
export function runPassed(faults: readonly FaultOutcome[], summary: InvariantSummary): boolean {
  return summary.ok && maxRecoverySeconds(faults) !== null;
}
