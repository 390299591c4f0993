// Checks every response the app under test sends against the API's own OpenAPI document (the one
// GET /openapi.json serves, built by api/openapi/document.ts), so that a response schema that drifts
// from what a handler really returns fails the test file that saw it (issue 15, item 1).
//
// Two halves: `ResponseContract` matches one response (method, path, status, media type, body) to its
// operation and documented response and validates the body with Ajv (JSON Schema 2020-12, the dialect of
// OpenAPI 3.1); `installResponseRecorder` hooks Express's response prototype so that every app built in
// the test file (createTestContext's, and those tests build themselves) reports what it sends.
// test/setup/response-validation.ts installs both for the integration and browser projects.
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;
const DOC_ID = 'https://campaigns.example/openapi.json';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface SentResponse {
  method: string;
  /** The request path without the query string, as the client sent it. */
  path: string;
  status: number;
  contentType: string | undefined;
  /** The body bytes as sent; undefined when it was larger than the recorder keeps. */
  body: Buffer | undefined;
}

export interface Violation {
  /** "GET /campaigns/{id}" (the documented operation), or the method and raw path when none matched. */
  operation: string;
  status: number;
  /** The request path the response answered. */
  path: string;
  /** One line per problem: where in the body (a JSON pointer) and what the schema says. */
  problems: string[];
}

/**
 * Answers of the app that are not API operations, named explicitly: the console's static files
 * (api/console.ts; the console entry /console itself is documented) and CORS preflights, which the
 * access gate answers before any route (docs/api/auth.md).
 */
export function isExempt(method: string, path: string): boolean {
  return method === 'OPTIONS' || path.startsWith('/console/');
}

/** What a request to a path no operation serves may be answered with (each a documented problem). */
const UNROUTED_STATUSES = new Set([400, 401, 403, 404, 413, 415, 429]);

const decodable = (path: string) =>
  path.split('/').every((segment) => {
    try {
      decodeURIComponent(segment);
      return true;
    } catch {
      return false;
    }
  });

interface Operation {
  template: string;
  method: string;
  regex: RegExp;
  /** Literal segments: the more, the more specific ('/campaigns/validate' before '/campaigns/{id}'). */
  literals: number;
  pointer: string;
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export class ResponseContract {
  private readonly ajv: Ajv2020;
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    // The document itself is the schema resource, so that '#/components/schemas/…' references resolve.
    this.ajv.addSchema({ ...doc, $id: DOC_ID });
    for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
      const segments = template.split('/');
      const regex = new RegExp(
        `^${segments.map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}/?$`,
      );
      const literals = segments.filter((s) => s && !s.startsWith('{')).length;
      for (const method of METHODS) {
        if (!item[method]) continue;
        this.operations.push({
          template,
          method,
          regex,
          literals,
          pointer: `/paths/${esc(template)}/${method}`,
        });
      }
    }
  }

  /** The documented operation a request names, the most specific template first; null when none. */
  operationOf(method: string, path: string): Operation | null {
    // A path Express cannot decode ('%zz') reaches no route: the gate and the input guard answer it.
    if (!decodable(path)) return null;
    const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
    const matches = this.operations.filter((o) => o.method === m && o.regex.test(path));
    matches.sort((a, b) => b.literals - a.literals);
    return matches[0] ?? null;
  }

  /** What is wrong with one response, or null when it is as documented (or exempt). */
  check(sent: SentResponse): Violation | null {
    if (isExempt(sent.method, sent.path)) return null;
    const problems: string[] = [];
    const op = this.operationOf(sent.method, sent.path);
    const operation = op ? `${op.method.toUpperCase()} ${op.template}` : `${sent.method} ${sent.path}`;
    const mediaType = (sent.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const json = /[/+]json$/.test(mediaType);

    let responsePointer: string | null = null;
    if (!op) {
      // A path no route serves is the caller's mistake, answered by a problem of the conventions every
      // operation shares: the access gate's 401/403/429 (it runs before routing), the input guard's
      // 400, the body checks' 413/415, or the catch-all 404 (api/app.ts). Anything else is an
      // undocumented operation.
      if (UNROUTED_STATUSES.has(sent.status)) {
        responsePointer = `/components/responses/Problem${sent.status}`;
      } else problems.push('undocumented operation');
    } else {
      const responses = ((this.at(op.pointer) as Json).responses ?? {}) as Record<string, Json>;
      const response = responses[String(sent.status)];
      if (!response) {
        problems.push(
          `undocumented status ${sent.status} (documented: ${Object.keys(responses).join(', ')})`,
        );
      } else {
        responsePointer =
          typeof response.$ref === 'string'
            ? response.$ref.slice(1)
            : `${op.pointer}/responses/${sent.status}`;
      }
    }

    if (responsePointer && sent.method !== 'HEAD') {
      const content = ((this.at(responsePointer) as Json).content ?? {}) as Record<string, Json>;
      const documented = Object.keys(content);
      if (json) {
        const media = documented.find((t) => t.toLowerCase() === mediaType);
        if (!media) {
          problems.push(
            `media type ${mediaType} not documented for this status (documented: ${documented.join(', ') || 'no body'})`,
          );
        } else if (content[media]!.schema && sent.body !== undefined) {
          problems.push(...this.validateBody(`${responsePointer}/content/${esc(media)}/schema`, sent.body));
        }
      } else if (mediaType && documented.length > 0 && !documented.some((t) => !/json$/.test(t))) {
        // A JSON-only response answered with another type (HTML, text): the client cannot read it.
        problems.push(`media type ${mediaType} not documented (documented: ${documented.join(', ')})`);
      }
    }
    return problems.length > 0 ? { operation, status: sent.status, path: sent.path, problems } : null;
  }

  private validateBody(pointer: string, body: Buffer): string[] {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return [`body is not JSON: ${truncate(body.toString('utf8'), 120)}`];
    }
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(`${DOC_ID}#${pointer}`);
      if (!validate) return [`schema ${pointer} not found in the document`];
      this.compiled.set(pointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).slice(0, 8).map((e) => describeError(e, value));
  }

  private at(pointer: string): unknown {
    return pointer
      .split('/')
      .slice(1)
      .reduce<unknown>(
        (node, key) => (node as Json | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        this.doc,
      );
  }
}

function describeError(e: ErrorObject, root: unknown): string {
  const where = e.instancePath || '(body)';
  const extra =
    e.keyword === 'additionalProperties'
      ? ` "${String((e.params as { additionalProperty: string }).additionalProperty)}"`
      : e.keyword === 'enum'
        ? ` ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`
        : '';
  const actual = e.instancePath
    ? e.instancePath
        .split('/')
        .slice(1)
        .reduce<unknown>((node, key) => (node as Json | undefined)?.[key.replace(/~1/g, '/')], root)
    : undefined;
  const shown = e.instancePath ? ` (got ${truncate(JSON.stringify(actual) ?? 'undefined', 80)})` : '';
  return `${where}: ${e.message}${extra}${shown} [schema ${e.schemaPath}]`;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

export function formatViolations(violations: readonly Violation[]): string {
  // The same drift seen many times is one entry, with its count.
  const grouped = new Map<string, { v: Violation; count: number }>();
  for (const v of violations) {
    const key = `${v.operation} ${v.status} ${v.problems.join('|')}`;
    const known = grouped.get(key);
    if (known) known.count++;
    else grouped.set(key, { v, count: 1 });
  }
  return [...grouped.values()]
    .map(
      ({ v, count }) =>
        `${v.operation} → ${v.status} (e.g. ${v.path}${count > 1 ? `, ${count}×` : ''})\n` +
        v.problems.map((p) => `    ${p}`).join('\n'),
    )
    .join('\n');
}

/** Bodies larger than this are not kept (their status and media type are still checked). */
const MAX_BODY = 4 * 1024 * 1024;

interface ResponseLike {
  write(...args: unknown[]): boolean;
  end(...args: unknown[]): unknown;
  once(event: string, listener: () => void): unknown;
  getHeader(name: string): unknown;
  statusCode: number;
  req: { method: string; originalUrl?: string; url: string };
}

const RECORDING = Symbol('response-contract recording');

/**
 * Wraps write/end of `proto` (Express's response prototype, from which every app's responses inherit)
 * so that each finished response is passed to `onSent`. The original methods are called unchanged;
 * an error in `onSent` is the recorder's, never the server's. Returns the function that uninstalls it.
 */
export function installResponseRecorder(proto: object, onSent: (sent: SentResponse) => void): () => void {
  const target = proto as ResponseLike;
  const { write, end } = target;
  type Rec = { chunks: Buffer[]; size: number; overflow: boolean };
  const track = (res: ResponseLike & { [RECORDING]?: Rec }): Rec => {
    if (res[RECORDING]) return res[RECORDING];
    const rec: Rec = { chunks: [], size: 0, overflow: false };
    res[RECORDING] = rec;
    res.once('finish', () => {
      const contentType = res.getHeader('content-type');
      const url = res.req.originalUrl ?? res.req.url;
      onSent({
        method: res.req.method,
        path: url.split('?')[0]!,
        status: res.statusCode,
        contentType: contentType === undefined ? undefined : String(contentType),
        body: rec.overflow ? undefined : Buffer.concat(rec.chunks),
      });
    });
    return rec;
  };
  const keep = (rec: Rec, chunk: unknown, encoding: unknown) => {
    if (rec.overflow || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk)
        : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    rec.size += buf.length;
    if (rec.size > MAX_BODY) {
      rec.overflow = true;
      rec.chunks = [];
    } else rec.chunks.push(buf);
  };
  target.write = function (this: ResponseLike, chunk: unknown, encoding?: unknown, ...rest: unknown[]) {
    keep(track(this), chunk, encoding);
    return write.call(this, chunk, encoding, ...rest);
  };
  target.end = function (this: ResponseLike, chunk?: unknown, encoding?: unknown, ...rest: unknown[]) {
    keep(track(this), chunk, encoding);
    return end.call(this, chunk, encoding, ...rest);
  };
  return () => {
    target.write = write;
    target.end = end;
  };
}
