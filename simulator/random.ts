// A tiny seeded pseudo-random generator (mulberry32) so that fault injection by rate is reproducible:
// the same seed and the same sequence of requests give the same injected errors in every test run.

/** Returns a function yielding floats in [0, 1), determined entirely by `seed`. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
