// How far ahead of the server's clock a reported fact may be dated. One bound for every ingest (a
// registration, an event, a delivery report dated later is refused) and for the campaign workflow, which
// relies on it to know that a cohort beginning later than this after acquisition closed has no members.

/** A fact dated this far after the server's clock is refused: a registration would join a cohort that has not begun. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
