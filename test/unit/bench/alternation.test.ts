import { Alternation, type Side } from '../../../scripts/bench/alternation';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** `batches` batches of one side in `lanes` lanes through the gate; records the order they ran in. */
async function side(turns: Alternation, name: Side, batches: number, lanes: number, log: string[]) {
  let next = 0;
  const lane = async () => {
    for (let b = next++; b < batches; b = next++) {
      await turns.enter(name);
      log.push(`${name}${b}+`);
      await tick();
      log.push(`${name}${b}-`);
      turns.leave(name);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane)).finally(() => turns.finish(name));
}

describe('bench alternation (two writers taking turns)', () => {
  it('runs turns of `slice` batches, never one side beside the other, and the rest alone', async () => {
    const turns = new Alternation(2, 'api');
    const log: string[] = [];
    await Promise.all([side(turns, 'api', 5, 2, log), side(turns, 'raw', 3, 2, log)]);
    // Which side is running at each moment: the in-flight count of the other is always 0.
    const inFlight = { api: 0, raw: 0 };
    const order: Side[] = [];
    for (const entry of log) {
      const name = entry.startsWith('api') ? 'api' : 'raw';
      inFlight[name] += entry.endsWith('+') ? 1 : -1;
      expect(inFlight[name === 'api' ? 'raw' : 'api']).toBe(0);
      if (entry.endsWith('+') && order[order.length - 1] !== name) order.push(name);
    }
    // api 0,1 | raw 0,1 | api 2,3 | raw 2 (its last) | api 4 alone.
    expect(order).toEqual(['api', 'raw', 'api', 'raw', 'api']);
    expect(log.filter((e) => e.endsWith('+'))).toHaveLength(8);
    expect(turns.elapsedMs.api).toBeGreaterThan(0);
    expect(turns.elapsedMs.raw).toBeGreaterThan(0);
  });

  it("tells a listener each turn's start and end, every batch inside one (the CPU accounting's edges)", async () => {
    const edges: string[] = [];
    const log: string[] = [];
    const turns = new Alternation(2, 'api', {
      turnStarted: (s) => edges.push(`${s} start`),
      turnEnded: (s) => edges.push(`${s} end`),
    });
    await Promise.all([side(turns, 'api', 3, 1, log), side(turns, 'raw', 2, 1, log)]);
    // api 0,1 | raw 0,1 | api 2: three turns, each ended before the next started, and no empty one after.
    expect(edges).toEqual(['api start', 'api end', 'raw start', 'raw end', 'api start', 'api end']);
    expect(log.filter((e) => e.endsWith('+'))).toHaveLength(5);
  });

  it('counts each side only its own turns', async () => {
    const turns = new Alternation(1, 'api');
    const slow = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const run = async (name: Side, ms: number) => {
      for (let b = 0; b < 3; b++) {
        await turns.enter(name);
        await slow(ms);
        turns.leave(name);
      }
      turns.finish(name);
    };
    const started = performance.now();
    await Promise.all([run('api', 30), run('raw', 5)]);
    const wall = performance.now() - started;
    expect(turns.elapsedMs.api).toBeGreaterThanOrEqual(85);
    expect(turns.elapsedMs.raw).toBeLessThan(turns.elapsedMs.api / 2);
    expect(turns.elapsedMs.api + turns.elapsedMs.raw).toBeLessThanOrEqual(wall + 1);
  });
});
