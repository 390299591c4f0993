// The facts digest of an evaluation: sha256 over the canonical JSON of everything a report is computed
// from. Same facts → same digest → the stored report is reused instead of a new version being written.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted (code-unit order) at every depth, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
      throw new TypeError(`canonicalJson cannot encode ${typeof value}`);
    }
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError(`canonicalJson cannot encode ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The digest stored as EvaluationReport.factsDigest. */
export function factsDigest(facts: unknown): string {
  return sha256Hex(canonicalJson(facts));
}
