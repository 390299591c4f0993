// The API key format: ck_<prefix>_<secret>, a lookup prefix, a 256-bit secret, only a hash kept.
import { generateApiKey, hashApiKey, keyMatchesHash, prefixOf } from '../../../api/auth/api-key-format';

describe('API keys', () => {
  it('are ck_<8-character prefix>_<43-character base64url secret>, with a SHA-256 hash of the whole key', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^ck_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(`ck_${prefix}_`)).toBe(true);
    expect(Buffer.from(key.slice(12), 'base64url')).toHaveLength(32);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashApiKey(key));
    expect(hash).not.toContain(key.slice(12));
  });

  it('are different every time, prefix and secret alike', () => {
    const keys = Array.from({ length: 50 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(50);
    expect(new Set(keys.map((k) => k.key.slice(12))).size).toBe(50);
  });

  it('give their prefix only when well-formed (a secret may itself contain "_" and "-")', () => {
    const { key, prefix } = generateApiKey();
    expect(prefixOf(key)).toBe(prefix);
    expect(prefixOf('ck_abcdefgh_' + '_-'.repeat(22))).toBe('abcdefgh');
    expect(prefixOf('ck_abcdefgh_tooshort')).toBeNull();
    expect(prefixOf('ck_ABCDEFGH_' + 'a'.repeat(43))).toBeNull();
    expect(prefixOf('sk_abcdefgh_' + 'a'.repeat(43))).toBeNull();
    expect(prefixOf(`${key} `)).toBeNull();
  });

  it('match their stored hash and nothing else', () => {
    const { key, hash } = generateApiKey();
    const other = generateApiKey();
    expect(keyMatchesHash(key, hash)).toBe(true);
    expect(keyMatchesHash(other.key, hash)).toBe(false);
    // Same prefix, different secret: the prefix alone proves nothing.
    expect(keyMatchesHash(`${key.slice(0, 12)}${other.key.slice(12)}`, hash)).toBe(false);
    expect(keyMatchesHash(key, 'not-a-hash')).toBe(false);
  });
});
