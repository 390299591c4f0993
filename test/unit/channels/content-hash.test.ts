// Material content validation and the content hash that read-back verification relies on.
import { createHash } from 'node:crypto';
import { canonicalJson, contentHash, MaterialContentSchema } from '../../../domain/material-content';
import { sampleContent } from './fixtures';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('keeps array order, because image and tag order are part of the content', () => {
    expect(canonicalJson(['b', 'a'])).not.toBe(canonicalJson(['a', 'b']));
  });

  it('drops undefined members like JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('refuses values that are not JSON', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: new Date(0) })).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
  });
});

describe('contentHash', () => {
  it('is the sha256 hex of the canonical JSON', () => {
    const content = sampleContent();
    const expected = createHash('sha256').update(canonicalJson(content)).digest('hex');
    expect(contentHash(content)).toBe(expected);
    expect(contentHash(content)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order', () => {
    const content = sampleContent();
    const reversed = Object.fromEntries(Object.entries(content).reverse()) as typeof content;
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(content));
    expect(contentHash(reversed)).toBe(contentHash(content));
  });

  it('survives a JSON round trip (what a channel stores and serves back)', () => {
    const content = sampleContent({ incentiveText: undefined });
    expect(contentHash(JSON.parse(JSON.stringify(content)))).toBe(contentHash(content));
  });

  it('changes when any visible field changes', () => {
    const base = contentHash(sampleContent());
    expect(contentHash(sampleContent({ body: 'Other body' }))).not.toBe(base);
    expect(contentHash(sampleContent({ styleTags: ['food', 'discount'] }))).not.toBe(base);
    expect(contentHash(sampleContent({ incentiveText: undefined }))).not.toBe(base);
  });
});

describe('MaterialContentSchema', () => {
  it('accepts a complete content and optional incentive', () => {
    expect(MaterialContentSchema.safeParse(sampleContent()).success).toBe(true);
    expect(MaterialContentSchema.safeParse(sampleContent({ incentiveText: undefined })).success).toBe(true);
  });

  it('refuses unknown keys, which would silently change the hash', () => {
    expect(MaterialContentSchema.safeParse({ ...sampleContent(), extra: 'x' }).success).toBe(false);
  });

  it('accepts http(s) URLs and asset references as images, nothing else', () => {
    const withImage = (ref: string) =>
      MaterialContentSchema.safeParse(sampleContent({ imageRefs: [ref] })).success;
    expect(withImage('https://cdn.example/a.png')).toBe(true);
    expect(withImage('asset:banners/a.png')).toBe(true);
    expect(withImage('javascript:alert(1)')).toBe(false);
    expect(withImage('banners/a.png')).toBe(false);
  });

  it('requires an http(s) link and slug style tags', () => {
    expect(MaterialContentSchema.safeParse(sampleContent({ linkUrl: 'ftp://x.example/' })).success).toBe(
      false,
    );
    expect(MaterialContentSchema.safeParse(sampleContent({ styleTags: ['Discount!'] })).success).toBe(false);
    expect(MaterialContentSchema.safeParse(sampleContent({ title: '' })).success).toBe(false);
  });
});
