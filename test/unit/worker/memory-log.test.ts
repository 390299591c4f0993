import fs from 'node:fs';
import {
  memorySample,
  peaksOf,
  residentByMapping,
  startMemoryLog,
  type MemorySample,
} from '../../../worker/memory-log';

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

  it('samples at once and then every interval until stopped, with the caller’s counters', () => {
    // Fake timers: a sample reads /proc/self/smaps, which on a loaded machine can take longer than the
    // interval; real timers made this test a measure of the machine (it timed out in CI), not of the
    // schedule it asserts.
    jest.useFakeTimers();
    try {
      const got: MemorySample[] = [];
      let n = 0;
      const stop = startMemoryLog(
        20,
        (s) => got.push(s),
        () => ({ cachedWorkflows: ++n }),
      );
      expect(got).toHaveLength(1);
      jest.advanceTimersByTime(110);
      expect(got).toHaveLength(6); // at once, then at 20, 40, 60, 80 and 100 ms
      stop();
      expect(got.map((s) => s.cachedWorkflows)).toEqual([1, 2, 3, 4, 5, 6]);
      jest.advanceTimersByTime(100);
      expect(got).toHaveLength(6);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('resident set by kind of mapping', () => {
  const smaps = [
    '00400000-00500000 r-xp 00000000 08:01 1 /usr/bin/node',
    'Rss:                1024 kB',
    '01000000-01100000 rw-p 00000000 00:00 0 [heap]',
    'Rss:                 512 kB',
    '7f0004000000-7f0005000000 rw-p 00000000 00:00 0 ',
    'Rss:                2048 kB',
    '2a0000000000-2a0000040000 rw-p 00000000 00:00 0 ',
    'Rss:                 256 kB',
    '7f0010001000-7f0010201000 rw-p 00000000 00:00 0 ',
    'Rss:                 100 kB',
    '7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]',
    'Rss:                  28 kB',
    '',
  ].join('\n');

  it('counts V8 pages, malloc (main heap and 64 MiB-aligned arenas), files and the rest apart', () => {
    expect(residentByMapping(smaps)).toEqual({ v8Pages: 0.3, malloc: 2.5, files: 1, otherAnon: 0.1 });
  });

  it('reads this process’s own smaps into parts that add up to its resident set', () => {
    const parts = residentByMapping(fs.readFileSync('/proc/self/smaps', 'utf8'));
    const sum = (parts.v8Pages ?? 0) + (parts.malloc ?? 0) + (parts.files ?? 0) + (parts.otherAnon ?? 0);
    const rss = process.memoryUsage().rss / 1_048_576;
    expect(parts.v8Pages).toBeGreaterThan(0);
    expect(parts.files).toBeGreaterThan(0);
    expect(Math.abs(sum - rss) / rss).toBeLessThan(0.1);
  });
});
