// Seeded randomness for the traffic generator. Every prospect draws from a stream of its own, seeded from
// (seed, campaign, prospect index), so prospect 7's behaviour is the same whatever happened to prospects
// 0–6, whatever the server answered and however the sends were timed; arrivals have their own stream.
import { createHash } from 'node:crypto';
import { seededRandom } from '../simulator/random';

/** A 32-bit seed from any parts: the first four bytes of their sha256. */
export function seedOf(...parts: (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest().readUInt32BE(0);
}

/** A stream of floats in [0, 1) determined entirely by the parts. */
export function streamOf(...parts: (string | number)[]): () => number {
  return seededRandom(seedOf(...parts));
}

/** A short stable hex id from the parts (customer refs, fingerprints, event ids). */
export function hexId(length: number, ...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex').slice(0, length);
}

/** An exponential waiting time with the given mean, from one uniform draw. */
export function exponential(u: number, mean: number): number {
  return -Math.log(1 - u) * mean;
}

/** Picks a key with probability proportional to its weight, from one uniform draw; null when all are 0. */
export function weightedPick<K>(entries: readonly (readonly [K, number])[], u: number): K | null {
  const total = entries.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
  if (!(total > 0)) return null;
  let at = u * total;
  for (const [key, weight] of entries) {
    at -= Math.max(0, weight);
    if (at < 0) return key;
  }
  return (entries[entries.length - 1] as readonly [K, number])[0];
}
