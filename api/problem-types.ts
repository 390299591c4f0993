// The one table from kinds of failure to problem documents (RFC 9457): HTTP status, title, a stable
// `type` URI documented in docs/api/problems.md, and whether the same request may succeed if retried.
// Every route's errors go through it (api/problem.ts), so a client can branch on `type` and `retryable`
// instead of parsing text, and a retryable problem always carries Retry-After.
export interface ProblemType {
  readonly status: number;
  readonly title: string;
  /** Retrying the same request later may succeed (the client changes nothing). */
  readonly retryable: boolean;
  /** Seconds the client should wait before retrying, sent as Retry-After. */
  readonly retryAfterSeconds?: number;
}

/** The base of every `type` URI: a tag URI (RFC 4151), stable, never dereferenced. */
export const PROBLEM_TYPE_BASE = 'tag:campaign-orchestrator,2026:problem/';

export const PROBLEM_TYPES = {
  'invalid-request': { status: 400, title: 'Invalid request', retryable: false },
  unauthenticated: { status: 401, title: 'Unauthorized', retryable: false },
  forbidden: { status: 403, title: 'Forbidden', retryable: false },
  /** Launch approval (maker-checker): the campaign's author may not approve or reject its launch. */
  'approval-by-author': { status: 403, title: 'Forbidden', retryable: false },
  'not-found': { status: 404, title: 'Not Found', retryable: false },
  conflict: { status: 409, title: 'Conflict', retryable: false },
  /** A concurrent writer got in between (a registration written around the campaign's lock). */
  'concurrent-write': { status: 409, title: 'Conflict', retryable: true, retryAfterSeconds: 1 },
  /** The same Idempotency-Key is still being processed. */
  'request-in-progress': { status: 409, title: 'Conflict', retryable: true, retryAfterSeconds: 1 },
  'precondition-failed': { status: 412, title: 'Precondition Failed', retryable: false },
  /** A write that must name the version it edits (If-Match) did not (PUT /contact-policy). */
  'precondition-required': { status: 428, title: 'Precondition Required', retryable: false },
  'payload-too-large': { status: 413, title: 'Payload Too Large', retryable: false },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type', retryable: false },
  unprocessable: { status: 422, title: 'Unprocessable Content', retryable: false },
  /** A fraud flag after the channel's post-attribution window closed: the registration stands. */
  'post-attribution-window-closed': { status: 422, title: 'Unprocessable Content', retryable: false },
  /** A cost correction that would make the corrected cost negative. */
  'negative-total': { status: 422, title: 'Unprocessable Content', retryable: false },
  'rate-limited': { status: 429, title: 'Too Many Requests', retryable: true },
  'headers-too-large': { status: 431, title: 'Request Header Fields Too Large', retryable: false },
  internal: { status: 500, title: 'Internal Server Error', retryable: false },
  /** An ingest batch not taken in time (its campaign's lock, the database, a broken deadlock). */
  'ingest-busy': { status: 503, title: 'Service Unavailable', retryable: true, retryAfterSeconds: 1 },
  /** PostgreSQL or Temporal does not answer: the request changed nothing and may be retried. */
  'dependency-unavailable': {
    status: 503,
    title: 'Service Unavailable',
    retryable: true,
    retryAfterSeconds: 5,
  },
} as const satisfies Record<string, ProblemType>;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

export const problemTypeUri = (kind: ProblemKind) => `${PROBLEM_TYPE_BASE}${kind}`;

/** The kind a bare status stands for, when a thrower named none. */
export function kindOfStatus(status: number): ProblemKind {
  const byStatus: Record<number, ProblemKind> = {
    400: 'invalid-request',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not-found',
    409: 'conflict',
    412: 'precondition-failed',
    413: 'payload-too-large',
    415: 'unsupported-media-type',
    428: 'precondition-required',
    422: 'unprocessable',
    429: 'rate-limited',
    431: 'headers-too-large',
    503: 'dependency-unavailable',
  };
  return byStatus[status] ?? (status >= 500 ? 'internal' : 'invalid-request');
}
