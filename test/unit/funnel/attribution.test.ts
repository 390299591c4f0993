import { attribute, qualifies, type Touch, type TouchWindows } from '../../../funnel/attribution';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const REGISTERED = Date.parse('2026-12-10T12:00:00Z');
const WINDOWS = new Map<string, TouchWindows>([
  ['app', { clickThroughMs: 7 * DAY, viewThroughMs: 24 * HOUR }],
  ['wechat', { clickThroughMs: 1 * DAY, viewThroughMs: 2 * HOUR }],
]);
const touch = (kind: Touch['kind'], channelId: string, hoursBefore: number): Touch => ({
  kind,
  channelId,
  atMs: REGISTERED - hoursBefore * HOUR,
});
const facts = (touches: Touch[], rule: 'last_touch' | 'first_touch' = 'last_touch', direct = false) => ({
  registeredAtMs: REGISTERED,
  touches,
  windows: WINDOWS,
  rule,
  direct,
});

/** A small deterministic generator (mulberry32), so that a failing case can be replayed from its seed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function randomTouches(next: () => number): Touch[] {
  return Array.from({ length: Math.floor(next() * 8) }, () =>
    touch(
      next() < 0.5 ? 'click' : 'impression',
      next() < 0.5 ? 'app' : 'wechat',
      Math.round(next() * 240) - 10,
    ),
  );
}

describe('qualifies', () => {
  it('includes both ends of the window and nothing after the registration', () => {
    const app = WINDOWS.get('app');
    expect(qualifies(touch('click', 'app', 7 * 24), REGISTERED, app)).toBe(true);
    expect(
      qualifies({ ...touch('click', 'app', 7 * 24), atMs: REGISTERED - 7 * DAY - 1 }, REGISTERED, app),
    ).toBe(false);
    expect(qualifies(touch('click', 'app', 0), REGISTERED, app)).toBe(true);
    expect(qualifies({ ...touch('click', 'app', 0), atMs: REGISTERED + 1 }, REGISTERED, app)).toBe(false);
    expect(qualifies(touch('impression', 'app', 24), REGISTERED, app)).toBe(true);
    expect(qualifies(touch('impression', 'app', 25), REGISTERED, app)).toBe(false);
    expect(qualifies(touch('click', 'unknown', 1), REGISTERED, undefined)).toBe(false);
  });
});

describe('attribute', () => {
  it('gives the registration to the last qualifying click by default and the first under first_touch', () => {
    const touches = [touch('click', 'app', 100), touch('click', 'wechat', 5), touch('impression', 'app', 1)];
    expect(attribute(facts(touches))).toMatchObject({ basis: 'click', touchIndex: 1 });
    expect(attribute(facts(touches, 'first_touch'))).toMatchObject({ basis: 'click', touchIndex: 0 });
  });

  it('prefers a click to a later impression, and falls back to impressions only without a qualifying click', () => {
    expect(attribute(facts([touch('click', 'app', 48), touch('impression', 'wechat', 1)]))).toMatchObject({
      basis: 'click',
      touchIndex: 0,
    });
    // The wechat click is 30 h old, outside its 1-day click-through window: the impression wins.
    expect(attribute(facts([touch('click', 'wechat', 30), touch('impression', 'app', 3)]))).toMatchObject({
      basis: 'view',
      touchIndex: 1,
    });
  });

  it('is direct only when the channel system says so, otherwise unattributed', () => {
    const stale = [touch('impression', 'wechat', 3), touch('click', 'app', 24 * 8)];
    expect(attribute(facts(stale))).toEqual({ basis: 'unattributed' });
    expect(attribute(facts(stale, 'last_touch', true))).toEqual({ basis: 'direct' });
    expect(attribute(facts([], 'first_touch', true))).toEqual({ basis: 'direct' });
  });

  it('breaks equal times by list order, so the answer never depends on sorting', () => {
    const touches = [touch('click', 'app', 2), touch('click', 'wechat', 2)];
    expect(attribute(facts(touches))).toMatchObject({ touchIndex: 1 });
    expect(attribute(facts(touches, 'first_touch'))).toMatchObject({ touchIndex: 0 });
  });

  it('over random touch lists: the winner is in its window, of the best kind, and the latest or earliest of it', () => {
    const next = random(12_5);
    for (let run = 0; run < 2000; run++) {
      const touches = randomTouches(next);
      const rule = next() < 0.5 ? 'last_touch' : 'first_touch';
      const result = attribute(facts(touches, rule, next() < 0.5));
      const qualifying = touches.filter((t) => qualifies(t, REGISTERED, WINDOWS.get(t.channelId)));
      if (result.basis === 'direct' || result.basis === 'unattributed') {
        expect(qualifying).toEqual([]);
        continue;
      }
      // A touch outside its window never wins.
      expect(qualifying).toContain(result.touch);
      const kind = qualifying.some((t) => t.kind === 'click') ? 'click' : 'impression';
      expect(result.touch.kind).toBe(kind);
      expect(result.basis).toBe(kind === 'click' ? 'click' : 'view');
      const times = qualifying.filter((t) => t.kind === kind).map((t) => t.atMs);
      expect(result.touch.atMs).toBe(rule === 'last_touch' ? Math.max(...times) : Math.min(...times));
      // Removing every touch outside the windows changes nothing.
      const trimmed = attribute(facts(qualifying, rule));
      expect(trimmed.basis === 'click' || trimmed.basis === 'view' ? trimmed.touch : null).toBe(result.touch);
    }
  });
});
