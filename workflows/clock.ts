// The only place workflow code reads the clock. Inside Temporal's workflow sandbox `Date` is
// deterministic: it returns the time of the current workflow task, recorded in history, so replays
// see the same value. Everything else in workflows/ calls `workflowNow()` (the linter forbids
// `Date.now()` elsewhere in workflows/), which keeps that reasoning in one reviewed spot.
export function workflowNow(): number {
  // eslint-disable-next-line no-restricted-properties
  return Date.now();
}

/** Milliseconds from the current workflow time until `iso` (never negative). */
export function msUntil(iso: string): number {
  return Math.max(0, Date.parse(iso) - workflowNow());
}
