// The door before any route (api/input-guard.ts) and the shared text rule (domain/text.ts): NUL and
// unpaired surrogates anywhere, bodies nested too deep, and cursors that decode to bad dates are named
// as 400s instead of reaching PostgreSQL or a recursive schema (issue 14, finding 1).
import { decodeCursor } from '../../../api/pagination';
import { jsonDefect, MAX_JSON_DEPTH } from '../../../api/input-guard';
import { Problem } from '../../../api/problem';
import { InstantSchema, text, textDefect } from '../../../domain/text';
import { RegistrationItemSchema } from '../../../funnel/ingest/registration-schema';

const nested = (depth: number): unknown => {
  let value: unknown = { event: 'login' };
  for (let i = 0; i < depth; i++) value = { all: [value] };
  return value;
};

describe('text rule', () => {
  it.each([
    ['a\u0000b', 'NUL'],
    ['\ud800', 'surrogate'],
    ['x\udc00', 'surrogate'],
    ['\ud800\ud800', 'surrogate'],
  ])('refuses %j', (value, word) => {
    expect(textDefect(value)).toContain(word);
    expect(text().safeParse(value).success).toBe(false);
  });

  it('accepts paired surrogates (emoji) and CJK text', () => {
    expect(textDefect('开户 😀')).toBeNull();
    expect(text({ max: 10 }).safeParse('开户 😀').success).toBe(true);
  });

  it('refuses instants outside 1970–9999, such as 0001-01-01', () => {
    expect(InstantSchema.safeParse('0001-01-01T00:00:00Z').success).toBe(false);
    expect(InstantSchema.safeParse('2026-12-01T00:00:00+08:00').success).toBe(true);
    const item = { customerRef: 'c', channelCode: 'x', registeredAt: '0001-01-01T00:00:00Z' };
    expect(RegistrationItemSchema.safeParse(item).success).toBe(false);
  });
});

describe('jsonDefect', () => {
  it('names the field holding a NUL or a lone surrogate, in values and keys', () => {
    expect(jsonDefect({ name: 'a\u0000b', role: 'ops' })).toMatchObject({ field: 'name' });
    expect(jsonDefect({ plan: { steps: [{ id: '\ud800' }] } })).toMatchObject({ field: 'plan.steps.0.id' });
    expect(jsonDefect({ attributes: { 'k\u0000': 1 } })).toMatchObject({ field: 'attributes.k\u0000' });
    expect(jsonDefect({ ok: ['fine', 1, null, true] })).toBeNull();
  });

  it('refuses nesting 5,000 deep without overflowing the stack, and allows the documented depth', () => {
    expect(jsonDefect({ plan: { activationRule: nested(5000) } })).toMatchObject({
      message: expect.stringContaining(`${MAX_JSON_DEPTH}`),
    });
    expect(jsonDefect(nested(10))).toBeNull();
  });
});

describe('decodeCursor', () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['abc'],
    [encode({ createdAt: 'not a date', id: 'x' })],
    [encode({ createdAt: '0001-01-01T00:00:00.000Z', id: 'x' })],
    [encode({ createdAt: '2026-12-01T00:00:00.000Z', id: 'a\u0000' })],
    [encode(null)],
  ])('refuses %s as a 400 naming query.cursor', (cursor) => {
    try {
      decodeCursor(cursor);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(Problem);
      expect((err as Problem).status).toBe(400);
      expect((err as Problem).extra.errors).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
    }
  });

  it('reads back what the API issues', () => {
    expect(decodeCursor(encode({ createdAt: '2026-12-01T00:00:00.000Z', id: 'x' }))).toEqual({
      createdAt: '2026-12-01T00:00:00.000Z',
      id: 'x',
    });
  });
});
