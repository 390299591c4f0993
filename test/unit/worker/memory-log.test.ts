import { memorySample, peaksOf, startMemoryLog, type MemorySample } from '../../../worker/memory-log';

describe('worker memory log', () => {
  it('splits the resident set into the heap, external memory and the native rest', () => {
    const held = Buffer.alloc(32 * 1024 * 1024, 1); // external memory the sample must see
    const s = memorySample({ activities: 3 });
    expect(s.external).toBeGreaterThanOrEqual(32);
    expect(s.arrayBuffers).toBeGreaterThanOrEqual(32);
    expect(s.rss).toBeGreaterThan(s.heapUsed);
    expect(s.hwm).toBeGreaterThanOrEqual(s.rss);
    expect(s.heapTotal).toBeGreaterThanOrEqual(s.heapUsed);
    expect(s.newSpace).toBeGreaterThan(0);
    // native is what is left of rss (within the 0.1 MB rounding of each part)
    expect(Math.abs(s.native - Math.max(0, s.rss - s.heapTotal - s.external))).toBeLessThanOrEqual(0.3);
    expect(s.activities).toBe(3);
    expect(held.length).toBe(32 * 1024 * 1024);
  });

  it('takes the peak of each field over the samples, not of one sample', () => {
    const base = {
      t: 0,
      rss: 0,
      hwm: 0,
      heapTotal: 0,
      heapUsed: 0,
      newSpace: 0,
      external: 0,
      arrayBuffers: 0,
    };
    const samples: MemorySample[] = [
      { ...base, t: 1, rss: 300, native: 200, activities: 90 },
      { ...base, t: 2, rss: 400, native: 150, activities: 10 },
    ];
    expect(peaksOf(samples)).toMatchObject({ rss: 400, native: 200, activities: 90 });
    expect(peaksOf(samples)).not.toHaveProperty('t');
  });

  it('samples at once and then every interval until stopped, with the caller’s counters', async () => {
    const got: MemorySample[] = [];
    let n = 0;
    const stop = startMemoryLog(
      20,
      (s) => got.push(s),
      () => ({ cachedWorkflows: ++n }),
    );
    expect(got).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 110));
    stop();
    const count = got.length;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(got.map((s) => s.cachedWorkflows)).toEqual(got.map((_, i) => i + 1));
    await new Promise((r) => setTimeout(r, 60));
    expect(got).toHaveLength(count);
  });
});
