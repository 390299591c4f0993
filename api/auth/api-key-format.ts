// The API key itself: `ck_<prefix>_<secret>`. The prefix (8 characters) is stored in plain text and
// finds the key's row; the secret (32 random bytes, base64url) is never stored — only a SHA-256 hash of
// the whole key.
//
// Why SHA-256 and not bcrypt/scrypt/argon2: slow hashes protect low-entropy secrets (passwords) against
// dictionary and brute-force guessing after a database leak. A 256-bit random secret has no dictionary
// and cannot be brute-forced, so a slow hash would add nothing but tens of milliseconds to every
// request. The comparison is constant-time so response timing reveals nothing about the stored hash.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const PREFIX_LENGTH = 8;
export const SECRET_BYTES = 32;
/** base64url of 32 bytes is 43 characters; base64url itself may contain '_' and '-'. */
const KEY_SHAPE = /^ck_([a-z0-9]{8})_([A-Za-z0-9_-]{43,128})$/;

export interface GeneratedKey {
  /** The whole key, shown to its owner once. */
  key: string;
  prefix: string;
  hash: string;
}

export function generateApiKey(): GeneratedKey {
  let prefix = '';
  for (let i = 0; i < PREFIX_LENGTH; i++) prefix += PREFIX_ALPHABET[randomInt(PREFIX_ALPHABET.length)];
  const key = `ck_${prefix}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The prefix of a well-formed key, or null: a malformed key needs no database lookup. */
export function prefixOf(key: string): string | null {
  return KEY_SHAPE.exec(key)?.[1] ?? null;
}

export function keyMatchesHash(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
