// The malformed-input classes the fuzz test sends, each as a mutation of an operation's valid baseline
// request: per body field (wrong types, missing and unknown fields, huge strings and numbers, NUL and lone
// surrogates, bad ISO durations, dates PostgreSQL cannot hold, 5,000-deep nesting of recursive schemas),
// per path and query parameter (NUL, bad percent-encoding, bad cursors and Temporal page tokens), per
// header, and per request (wrong content type, malformed JSON, oversized bodies, URL and headers over 16 KB).
import {
  alternatives,
  branchFor,
  childSchema,
  isFixedShape,
  refName,
  resolve,
  type Operation,
  type Schema,
} from './openapi-walk';

export interface FuzzRequest {
  method: string;
  pathParams: Record<string, string>;
  /** Raw (already encoded) name=value pairs. */
  query: [string, string][];
  headers: Record<string, string>;
  /** A JSON value, serialised with JSON.stringify; ignored when `rawBody` is set. */
  body?: unknown;
  rawBody?: string;
}

export interface Mutation {
  class: string;
  /** Where: a body field path ('plan.newCustomerPeriod'), 'query.limit', 'params.id', 'header.X', or '(request)'. */
  target: string;
  /** What was sent, short. */
  what: string;
  apply(req: FuzzRequest): FuzzRequest;
  /** A 400 must name this field (or one below it) in `errors`. */
  namesField?: string;
  /**
   * Ancestors of the field whose schema is a union of objects (an activation rule: all | any | condition):
   * there the API can only say that the value fits no alternative, so naming the union is naming the field.
   */
  unions?: string[];
  /** A 400 must name this key (an unknown field) in `errors`, and a 2xx is a failure. */
  unknownKey?: string;
}

type Path = (string | number)[];
const label = (path: Path) => path.map(String).join('.');
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

function setAt(
  body: unknown,
  path: Path,
  update: (parent: Record<string | number, unknown>, key: string | number) => void,
) {
  const copy = clone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  update(node, path[path.length - 1]!);
  return copy;
}

const DURATION = /^P(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/;
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;
export const BAD_DURATIONS = ['P1Y', '', '-P1D', 'PT0.5S', 'P1M', 'PT', 'P99999999999999999999D'];
export const BAD_DATES = [
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '1969-12-31T23:59:59.999999999Z',
];
export const EXTREME_NUMBERS = [1e308, -1e308, 2 ** 53 + 2, -1, 0.5, 1e21, 1e23];
/** Numbers only JSON text can carry: past a double's range, or more digits than a double keeps. */
export const RAW_NUMBERS = ['1e400', '-1e400', '123456789012345678901234567890', '-0'];
const HUGE = 'x'.repeat(200_000);
export const DEPTH = 5000;

/**
 * JSON text nesting `leafJson` DEPTH deep along the schema's own recursion (e.g. {"all":[{"all":[…]}]}), or
 * as plain arrays. Text, not a value: JSON.stringify itself overflows its stack on such a value.
 */
export function deepText(doc: Schema, component: string | undefined, leafJson: string): string {
  const s = component ? resolve(doc, { $ref: `#/components/schemas/${component}` }) : {};
  const alts = ((s.anyOf ?? s.oneOf ?? [s]) as Schema[]).map((a) => resolve(doc, a));
  let open = '[';
  let close = ']';
  for (const alt of alts) {
    const prop = Object.entries((alt.properties ?? {}) as Record<string, Schema>).find(
      ([, p]) => refName(p) === component,
    );
    if (prop) {
      const [key, p] = prop;
      [open, close] =
        p.type === 'array' ? [`{${JSON.stringify(key)}:[`, ']}'] : [`{${JSON.stringify(key)}:`, '}'];
      break;
    }
    if (alt.type === 'object' && refName((alt.additionalProperties ?? {}) as Schema) === component) {
      [open, close] = ['{"k":', '}'];
    }
  }
  return open.repeat(DEPTH) + leafJson + close.repeat(DEPTH);
}

/** The request with the value at `path` replaced by raw JSON text (for values too deep to stringify). */
function withRawAt(req: FuzzRequest, path: Path, text: string): FuzzRequest {
  const marker = '\u0001fuzz-deep\u0001';
  const body = path.length === 0 ? marker : setAt(req.body, path, (p, k) => (p[k] = marker));
  return { ...req, rawBody: JSON.stringify(body).replace(JSON.stringify(marker), () => text) };
}

function typo(key: string, pick: (n: number) => number): string {
  if (key.length < 3) return `${key}x`;
  const at = 1 + pick(key.length - 1);
  return key.slice(0, at) + key.slice(at + 1) === key ? `${key}x` : key.slice(0, at) + key.slice(at + 1);
}

/** Every field mutation of a JSON body, walking the baseline value alongside its schema. */
export function bodyMutations(
  doc: Schema,
  op: Operation,
  baseline: unknown,
  pick: (n: number) => number,
): Mutation[] {
  const out: Mutation[] = [];
  const recursive = new Set<string>();
  const walk = (value: unknown, raw: Schema, path: Path, unions: string[], required: boolean) => {
    const schema = branchFor(doc, raw, value);
    const where = label(path);
    const objectAlternatives = alternatives(doc, raw).filter((a) => a.type === 'object');
    const inner = objectAlternatives.length > 1 && path.length > 0 ? [...unions, where] : unions;
    const start = out.length;
    const set = (cls: string, what: string, v: unknown, extra: Partial<Mutation> = {}) =>
      out.push({
        class: cls,
        target: where || '(body)',
        what,
        namesField: where || undefined,
        apply: (req) => ({
          ...req,
          body: path.length === 0 ? v : setAt(req.body, path, (p, k) => (p[k] = v)),
        }),
        ...extra,
      });
    if (path.length > 0) {
      out.push({
        class: 'missing',
        target: where,
        what: required ? 'required field removed' : 'optional field removed',
        namesField: where,
        apply: (req) => ({ ...req, body: setAt(req.body, path, (p, k) => void delete p[k]) }),
      });
      set('null', 'null', null);
    }
    const component = recursiveComponentOf(doc, raw, recursive);
    if (component) {
      const text = deepText(doc, component, JSON.stringify(value ?? 1));
      out.push({
        class: 'deep-nesting',
        target: where || '(body)',
        what: `${DEPTH}-deep ${component}`,
        namesField: where || undefined,
        apply: (req) => withRawAt(req, path, text),
      });
    }
    if (typeof value === 'string') {
      set('wrong-type', '12345 for a string', 12345);
      set('huge-string', `${HUGE.length} characters`, HUGE);
      set('nul', 'a NUL inside', `${value.slice(0, 1)}\u0000${value.slice(1)}`);
      set('lone-surrogate', 'a lone \\ud800', `${value}\ud800`);
      if (DURATION.test(value)) for (const d of BAD_DURATIONS) set('bad-duration', JSON.stringify(d), d);
      if (DATE_TIME.test(value)) for (const d of BAD_DATES) set('date-out-of-range', d, d);
    } else if (typeof value === 'number') {
      set('wrong-type', '"12" for a number', '12');
      for (const n of EXTREME_NUMBERS) set('extreme-number', String(n), n);
      for (const text of RAW_NUMBERS) {
        out.push({
          class: 'extreme-number',
          target: where,
          what: `${text} (as JSON text)`,
          namesField: where,
          apply: (req) => withRawAt(req, path, text),
        });
      }
    } else if (typeof value === 'boolean') {
      set('wrong-type', '"true" for a boolean', 'true');
    } else if (Array.isArray(value)) {
      set('wrong-type', 'an object for an array', { 0: value[0] ?? 'x' });
      const text = deepText(doc, undefined, '1');
      out.push({
        class: 'deep-nesting',
        target: where,
        what: `${DEPTH}-deep arrays`,
        namesField: where,
        apply: (req) => withRawAt(req, path, text),
      });
      value.slice(0, 3).forEach((item, i) => walk(item, childSchema(schema, i), [...path, i], inner, true));
    } else if (value && typeof value === 'object') {
      set('wrong-type', 'a string for an object', 'x');
      set('wrong-type', 'an array for an object', [value]);
      const keys = Object.keys(value);
      if (isFixedShape(schema) && keys.length > 0) {
        const unknown = typo(keys[pick(keys.length)]!, pick);
        if (!keys.includes(unknown) && !(unknown in (schema.properties as object))) {
          out.push({
            class: 'unknown-field',
            target: where ? `${where}.${unknown}` : unknown,
            what: `unknown key "${unknown}"`,
            unknownKey: unknown,
            namesField: where ? `${where}.${unknown}` : unknown,
            apply: (req) => ({
              ...req,
              body:
                path.length === 0
                  ? { ...(req.body as object), [unknown]: 1 }
                  : setAt(req.body, path, (p, k) => ((p[k] as Record<string, unknown>)[unknown] = 1)),
            }),
          });
        }
      }
      // Recursive fields the example leaves out (a profile's basis) are nested deep all the same.
      for (const [k, prop] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        const absent = recursiveComponentOf(doc, prop, recursive);
        if (k in (value as object) || !absent) continue;
        const text = deepText(doc, absent, '1');
        const at = label([...path, k]);
        out.push({
          class: 'deep-nesting',
          target: at,
          what: `${DEPTH}-deep ${absent}`,
          namesField: at,
          apply: (req) =>
            withRawAt(
              { ...req, body: setAt(req.body, [...path, k], (p, key) => (p[key] = 0)) },
              [...path, k],
              text,
            ),
        });
      }
      const req = new Set((schema.required ?? []) as string[]);
      for (const k of keys)
        walk((value as Record<string, unknown>)[k], childSchema(schema, k), [...path, k], inner, req.has(k));
    }
    for (const m of out.slice(start)) m.unions ??= inner.filter((u) => u !== m.namesField);
  };
  walk(baseline, op.body!.schema, [], [], true);
  return out;
}

/** The recursive component a field's schema is (or is a nullable / array / map of), if any. */
function recursiveComponentOf(doc: Schema, raw: Schema, memo: Set<string>): string | undefined {
  const candidates = [
    raw,
    raw.items,
    raw.additionalProperties,
    ...((raw.anyOf ?? raw.oneOf ?? []) as Schema[]),
  ].filter((c): c is Schema => Boolean(c) && typeof c === 'object');
  for (const c of candidates) {
    const name = typeof c.$ref === 'string' ? (c.$ref as string).split('/').pop()! : undefined;
    if (name && isRecursive(doc, name, memo)) return name;
  }
  return undefined;
}

function isRecursive(doc: Schema, component: string, memo: Set<string>): boolean {
  if (memo.has(component)) return true;
  const text = JSON.stringify(resolve(doc, { $ref: `#/components/schemas/${component}` }));
  const yes = text.includes(`"#/components/schemas/${component}"`);
  if (yes) memo.add(component);
  return yes;
}

const enc = encodeURIComponent;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** Cursors that decode, but hold what no row has: bad dates, dates out of range, odd ids and versions. */
export const BAD_CURSORS = [
  'abc',
  b64({ createdAt: 'not-a-date', id: 'x' }),
  b64({ createdAt: '0001-01-01T00:00:00Z', id: 'x' }),
  b64({ createdAt: '+275760-09-13T00:00:00.000Z', id: 'x' }),
  b64({ createdAt: '2026-01-01T00:00:00.000Z', id: 'a\u0000b' }),
  b64({ createdAt: 1, id: 2 }),
  b64({ v: 1e300 }),
  b64({ v: -1 }),
  b64([1]),
];
export const BAD_PAGE_TOKENS = ['abc', 'AAAA', '%00', enc('\u0000\u0001'), 'x'.repeat(4000), b64({ a: 1 })];
const BAD_PATH_VALUES = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%zz',
  'x'.repeat(3000),
  '0',
  '-1',
  '%F0%9F%92%A9',
  '%2e%2e',
  '%20',
];

/** Mutations of path, query and header parameters. */
export function parameterMutations(op: Operation): Mutation[] {
  const out: Mutation[] = [];
  for (const p of op.params) {
    const field = `${p.in === 'path' ? 'params' : p.in}.${p.name}`;
    if (p.in === 'path') {
      for (const v of BAD_PATH_VALUES) {
        out.push({
          class: 'bad-path-param',
          target: field,
          what: v.length > 40 ? `${v.length} characters` : v,
          namesField: field,
          apply: (req) => ({ ...req, pathParams: { ...req.pathParams, [p.name]: v } }),
        });
      }
    } else if (p.in === 'query') {
      const setQ = (cls: string, v: string, what = v) =>
        out.push({
          class: cls,
          target: field,
          what: what.length > 40 ? `${what.length} characters` : what,
          namesField: field,
          apply: (req) => ({ ...req, query: [...req.query.filter(([n]) => n !== p.name), [p.name, v]] }),
        });
      const type = (p.schema.type ?? (p.schema.anyOf as Schema[] | undefined)?.[0]?.type) as
        string | undefined;
      const values =
        type === 'integer' || type === 'number'
          ? ['abc', '1.5', '-1', '0', '1e400', '99999999999999999999', '0x10', '']
          : type === 'boolean'
            ? ['maybe', '2', '']
            : ['', 'nope', 'x'.repeat(8000)];
      for (const v of values) setQ('bad-query-param', enc(v), v);
      setQ('nul', '%00', '%00');
      setQ('lone-surrogate', '%ED%A0%80', '%ED%A0%80 (a lone surrogate)');
      if (p.name === 'cursor')
        for (const c of BAD_CURSORS) setQ('bad-cursor', c, Buffer.from(c, 'base64url').toString('utf8') || c);
      if (p.name === 'pageToken') for (const t of BAD_PAGE_TOKENS) setQ('bad-page-token', t);
      out.push({
        class: 'bad-query-param',
        target: field,
        what: 'given twice',
        apply: (req) => ({ ...req, query: [...req.query, [p.name, '1'], [p.name, '2']] }),
      });
    } else if (p.in === 'header') {
      const values =
        p.name === 'If-Match' ? ['garbage', '"999999"', 'W/', ''] : ['has spaces', 'x'.repeat(300), 'é'];
      for (const v of values) {
        out.push({
          class: 'bad-header',
          target: `header.${p.name}`,
          what: v.length > 40 ? `${v.length} characters` : v || '(empty)',
          apply: (req) => ({ ...req, headers: { ...req.headers, [p.name]: v } }),
        });
      }
    }
  }
  return out;
}

/** Mutations of the request as a whole: media type, JSON syntax, size, URL and header length. */
export function requestMutations(op: Operation): Mutation[] {
  const whole = (cls: string, what: string, apply: Mutation['apply']): Mutation => ({
    class: cls,
    target: '(request)',
    what,
    apply,
  });
  const out: Mutation[] = [
    whole('huge-header', 'a 20 KB header', (req) => ({
      ...req,
      headers: { ...req.headers, 'X-Fuzz-Pad': 'x'.repeat(20_000) },
    })),
    whole('huge-url', 'a 20 KB query string', (req) => ({
      ...req,
      query: [...req.query, ['pad', 'x'.repeat(20_000)]],
    })),
    whole('unknown-query-param', '?fuzzUnknown=1', (req) => ({
      ...req,
      query: [...req.query, ['fuzzUnknown', '1']],
    })),
  ];
  if (op.method === 'GET') return out;
  const json = (req: FuzzRequest) => JSON.stringify(req.body ?? {});
  const withType = (type: string | undefined) => (req: FuzzRequest) => {
    const headers = { ...req.headers };
    delete headers['Content-Type'];
    return { ...req, headers: type ? { ...headers, 'Content-Type': type } : headers, rawBody: json(req) };
  };
  out.push(
    whole('content-type', 'text/plain', withType('text/plain')),
    whole('content-type', 'application/x-www-form-urlencoded', withType('application/x-www-form-urlencoded')),
    whole('content-type', 'no Content-Type', withType(undefined)),
    whole('content-type', 'application/json; charset=utf-16', withType('application/json; charset=utf-16')),
    ...['{', '{"a":1,}', 'null', '[]', '"x"', '1', 'NaN', '\u0000'].map((raw) =>
      whole('malformed-json', JSON.stringify(raw), (req) => ({ ...req, rawBody: raw })),
    ),
    whole('deep-nesting', `${DEPTH}-deep array body`, (req) => ({
      ...req,
      rawBody: '['.repeat(DEPTH) + ']'.repeat(DEPTH),
    })),
    whole('deep-nesting', `${DEPTH}-deep object body`, (req) => ({
      ...req,
      rawBody: '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH),
    })),
    whole('oversized-body', 'a 1.1 MB body', (req) => ({
      ...req,
      rawBody: JSON.stringify({ ...(req.body as object), pad: 'x'.repeat(1_100_000) }),
    })),
  );
  return out;
}
