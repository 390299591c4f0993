// The content of one material version (the creative a channel shows) and its content hash.
// The hash is how publishing proves that every channel shows the same version: we compute it when a
// version is created, the channel computes it from what it stores, and read-back compares the two.
// So both sides must canonicalise identically; this module is the single definition of that.
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** An image is either an absolute http(s) URL or a reference into the bank's asset store. */
const ImageRefSchema = z.union([
  z.url({ protocol: /^https?$/ }),
  z.string().regex(/^asset:[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/, 'expected an http(s) URL or "asset:<id>"'),
]);

/** Style tags are content traits that targeting matches against channel profiles ("discount", "food"). */
export const StyleTagSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'style tags are lower-case slugs (a-z, 0-9, "-", "_")');

// Strict: an unknown key would silently become part of the hash, so we refuse it instead.
export const MaterialContentSchema = z.strictObject({
  title: z.string().min(1).max(200),
  body: z.string().min(1).max(10_000),
  imageRefs: z.array(ImageRefSchema).max(20),
  linkUrl: z.url({ protocol: /^https?$/ }),
  callToAction: z.string().min(1).max(60),
  incentiveText: z.string().min(1).max(200).optional(),
  styleTags: z.array(StyleTagSchema).max(20),
});

export type MaterialContent = z.infer<typeof MaterialContentSchema>;

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, i.e. plain `<`), no whitespace,
 * `undefined` object members dropped (as JSON.stringify does), array order kept (order of images
 * and tags is part of the content). Non-JSON values are refused rather than guessed at.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
      // A plain object's prototype is some realm's Object.prototype (or null). Compared by shape, not
      // identity, because values cloned or parsed in another realm (vm, worker) are plain objects too.
      const proto = Object.getPrototypeOf(value) as object | null;
      if (proto !== null && Object.getPrototypeOf(proto) !== null) {
        throw new TypeError('canonicalJson: only plain objects, arrays and JSON scalars are allowed');
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
  }
}

/** sha256 (lower-case hex) of the canonical JSON of the content. */
export function contentHash(content: MaterialContent): string {
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}
