// The suite's shards (test/setup/sequencer.js): every file runs in exactly one shard, and the slow files
// are spread so that no shard waits long for another.
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deal } = require('../../setup/sequencer.js') as {
  deal: (tests: { path: string }[], count: number) => { total: number; tests: { path: string }[] }[];
};

const root = path.resolve(__dirname, '..', '..', '..');
const file = (relative: string) => ({ path: path.join(root, relative) });

describe('the shards of npm test', () => {
  const tests = [
    file('test/browser/marketer-journey.test.ts'),
    file('test/integration/fuzz/openapi-fuzz.test.ts'),
    file('test/integration/demo/seed.test.ts'),
    ...Array.from({ length: 40 }, (_, i) => file(`test/integration/made-up/file-${i}.test.ts`)),
    ...Array.from({ length: 60 }, (_, i) => file(`test/unit/made-up/file-${i}.test.ts`)),
  ];

  it('runs every file in exactly one shard', () => {
    for (const count of [1, 2, 3]) {
      const shards = deal(tests, count);
      expect(shards).toHaveLength(count);
      const dealt = shards.flatMap((s) => s.tests.map((t) => t.path)).sort();
      expect(dealt).toEqual(tests.map((t) => t.path).sort());
    }
  });

  it('gives no shard much more time than another, and agrees between shards (same order in, same split)', () => {
    const [a, b] = deal(tests, 2);
    const slowest = Math.max(...tests.map((t) => deal([t], 1)[0]!.total));
    // Greedy over files sorted slowest first: the shards differ by at most the slowest file.
    expect(Math.abs(a!.total - b!.total)).toBeLessThanOrEqual(slowest);
    const again = deal([...tests].reverse(), 2);
    expect(again[0]!.tests.map((t) => t.path)).toEqual(a!.tests.map((t) => t.path));
  });

  it('puts the two slowest files in different shards', () => {
    const weight = (t: { path: string }) => deal([t], 1)[0]!.total;
    const [first, second] = [...tests].sort((x, y) => weight(y) - weight(x));
    const [a] = deal(tests, 2);
    const inA = new Set(a!.tests.map((t) => t.path));
    expect(inA.has(first!.path)).not.toBe(inA.has(second!.path));
  });
});
