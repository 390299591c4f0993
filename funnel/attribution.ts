// Which touch gets a registration (issue 12, item 5). Pure: no clock, no I/O, so the ingest, the unit tests
// and anyone re-checking a registration by hand get the same answer from the same facts.
//
// The rule, exactly:
// 1. A touch qualifies when it happened at or before the registration and no longer before it than its
//    channel's window for its kind: registeredAt − window ≤ at ≤ registeredAt, with the click-through
//    window for a click and the view-through window for an impression (both ends inclusive).
// 2. Clicks beat impressions: if any click qualifies, only qualifying clicks are candidates (basis
//    `click`), even when an impression came after the last click; otherwise the qualifying impressions
//    are (basis `view`). This is how the mobile measurement partners rank them: a click is intent, a
//    view is exposure.
// 3. Among the candidates, `last_touch` takes the latest and `first_touch` the earliest; equal times go
//    to the one listed later (last touch) or earlier (first touch), so the answer never depends on sorting.
// 4. No candidate: `direct` when the channel system says the customer came directly (credited to the
//    reporting channel), else `unattributed` (credited to no channel). Never a silent default.
import type { AttributionRule } from '../domain/attribution';

export interface Touch {
  readonly kind: 'impression' | 'click';
  readonly channelId: string;
  readonly atMs: number;
}

export interface TouchWindows {
  readonly clickThroughMs: number;
  readonly viewThroughMs: number;
}

export interface AttributionFacts<T extends Touch> {
  readonly registeredAtMs: number;
  readonly touches: readonly T[];
  /** Windows by channel id; a touch whose channel has none never qualifies. */
  readonly windows: ReadonlyMap<string, TouchWindows>;
  readonly rule: AttributionRule;
  readonly direct: boolean;
}

export type Attribution<T extends Touch> =
  | { readonly basis: 'click' | 'view'; readonly touch: T; readonly touchIndex: number }
  | { readonly basis: 'direct' }
  | { readonly basis: 'unattributed' };

/** Whether the touch counts for a registration at registeredAtMs (rule 1). */
export function qualifies(touch: Touch, registeredAtMs: number, windows: TouchWindows | undefined): boolean {
  if (!windows || touch.atMs > registeredAtMs) return false;
  const window = touch.kind === 'click' ? windows.clickThroughMs : windows.viewThroughMs;
  return registeredAtMs - touch.atMs <= window;
}

export function attribute<T extends Touch>(facts: AttributionFacts<T>): Attribution<T> {
  const inWindow = facts.touches
    .map((touch, touchIndex) => ({ touch, touchIndex }))
    .filter(({ touch }) => qualifies(touch, facts.registeredAtMs, facts.windows.get(touch.channelId)));
  const clicks = inWindow.filter(({ touch }) => touch.kind === 'click');
  const candidates = clicks.length > 0 ? clicks : inWindow;
  if (candidates.length === 0) return facts.direct ? { basis: 'direct' } : { basis: 'unattributed' };
  let chosen = candidates[0]!;
  for (const candidate of candidates.slice(1)) {
    const later = candidate.touch.atMs >= chosen.touch.atMs;
    const earlier = candidate.touch.atMs < chosen.touch.atMs;
    if (facts.rule === 'last_touch' ? later : earlier) chosen = candidate;
  }
  return { basis: clicks.length > 0 ? 'click' : 'view', ...chosen };
}
