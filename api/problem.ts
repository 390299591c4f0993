// RFC 9457 problem details: every error the API returns is application/problem+json, names each
// invalid field, and never leaks a stack trace or SQL.
import type { ErrorRequestHandler, Response } from 'express';
import type { ZodError } from 'zod';
import { ConcurrentWriteError, IngestBusyError } from '../funnel/ingest/campaign-lock';
import { kindOfStatus, PROBLEM_TYPES, problemTypeUri, type ProblemKind } from './problem-types';

export interface FieldError {
  field: string;
  message: string;
}

export class Problem extends Error {
  /** The row of api/problem-types.ts this problem is: its `type` URI and whether it is retryable. */
  readonly kind: ProblemKind;
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    kind?: ProblemKind,
  ) {
    super(detail ?? title);
    this.kind = kind ?? kindOfStatus(status);
  }

  /** A problem of a kind of the table, with its status and title from there. */
  static of(kind: ProblemKind, detail: string, extra: Record<string, unknown> = {}): Problem {
    const type = PROBLEM_TYPES[kind];
    return new Problem(type.status, type.title, detail, extra, kind);
  }
}

export const notFound = (what: string, id: string) =>
  new Problem(404, 'Not Found', `${what} ${id} does not exist`);
export const conflict = (detail: string, extra?: Record<string, unknown>) =>
  new Problem(409, 'Conflict', detail, extra);

export function validationProblem(errors: FieldError[], title = 'Invalid request'): Problem {
  return new Problem(
    400,
    title,
    `${errors.length} invalid field(s): ${errors.map((e) => e.field).join(', ')}`,
    {
      errors,
    },
  );
}

export function fieldErrors(error: ZodError, prefix = ''): FieldError[] {
  const fieldOf = (path: readonly PropertyKey[]) =>
    [prefix, ...path.map(String)].filter(Boolean).join('.') || '(body)';
  return error.issues.flatMap((issue) =>
    // An unknown key is named itself (plan.acquisitionBudgetMinr), not the object that holds it.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: fieldOf([...issue.path, key]),
          message: 'is not a field of this object (misspelt?)',
        }))
      : [{ field: fieldOf(issue.path), message: issue.message }],
  );
}

export function sendProblem(res: Response, problem: Problem, requestId?: string): void {
  const type: { retryable: boolean; retryAfterSeconds?: number } = PROBLEM_TYPES[problem.kind];
  if (type.retryable && type.retryAfterSeconds !== undefined && !res.getHeader('Retry-After')) {
    res.setHeader('Retry-After', String(type.retryAfterSeconds));
  }
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: problemTypeUri(problem.kind),
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      retryable: type.retryable,
      ...(requestId ? { requestId } : {}),
      ...problem.extra,
    });
}

/**
 * Errors of the domain and of the dependencies, mapped to their problem (api/problem-types.ts); null
 * for anything else, which is a 500.
 */
export function domainProblem(err: unknown): Problem | null {
  if (err instanceof ConcurrentWriteError) {
    return Problem.of('concurrent-write', `${err.message} (nothing of it was stored)`);
  }
  if (err instanceof IngestBusyError) {
    return Problem.of('ingest-busy', `${err.message} (nothing of it was stored)`);
  }
  const unavailable = unavailableDependency(err);
  if (unavailable) {
    return Problem.of(
      'dependency-unavailable',
      `${unavailable} does not answer; nothing was changed — retry shortly (GET /readyz says which dependency is down)`,
    );
  }
  return null;
}

const DATABASE_DOWN =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Client has encountered a connection error|Connection (?:is )?closed/i;
const PRISMA_DOWN_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const PG_DOWN_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED: Temporal's frontend does not answer. */
const GRPC_DOWN_CODES = new Set([14, 4]);

/** 'PostgreSQL' or 'Temporal' when the error says that dependency is unreachable, else null. */
export function unavailableDependency(err: unknown): 'PostgreSQL' | 'Temporal' | null {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    const isTemporal =
      name === 'ServiceError' ||
      name === 'WorkflowUpdateRPCTimeoutOrCancelledError' ||
      /grpc|Temporal/i.test(String(name));
    if (typeof code === 'number' && GRPC_DOWN_CODES.has(code)) return 'Temporal';
    if (isTemporal && /UNAVAILABLE|DEADLINE_EXCEEDED|Failed to connect|No connection established/i.test(text))
      return 'Temporal';
    if (typeof code === 'string' && (PRISMA_DOWN_CODES.has(code) || PG_DOWN_CODES.has(code)))
      return 'PostgreSQL';
    if (name === 'PrismaClientInitializationError') return 'PostgreSQL';
    if (!isTemporal && DATABASE_DOWN.test(text)) return 'PostgreSQL';
  }
  return null;
}

interface HttpError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/** Last middleware: maps everything thrown to a problem; unknown errors are logged and hidden. */
export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const requestId = res.locals.requestId as string | undefined;
  if (res.headersSent) {
    // The reply had begun (a streamed export failing midway): it cannot become a problem document any
    // more. Log it and cut the connection, so that the client sees a broken reply, not a complete one.
    res.locals.log?.error('error after the reply began; connection closed', {
      err: err instanceof Error ? err.stack : String(err),
      path: req.path,
    });
    res.destroy();
    return;
  }
  if (err instanceof Problem) return sendProblem(res, err, requestId);
  const mapped = domainProblem(err);
  if (mapped) {
    res.locals.log?.warn(mapped.detail ?? mapped.title, {
      err: err instanceof Error ? err.message : String(err),
      path: req.path,
    });
    return sendProblem(res, mapped, requestId);
  }
  const http = err as HttpError;
  const status = http.status ?? http.statusCode;
  if (status && status >= 400 && status < 500) {
    const detail =
      http.type === 'entity.parse.failed'
        ? 'request body is not valid JSON'
        : http.type === 'entity.too.large'
          ? 'request body is too large'
          : http.expose
            ? String((err as Error).message)
            : undefined;
    const kind = kindOfStatus(status);
    // Every 400 names its invalid field (the documented ValidationProblem): here, the body as a whole.
    const extra =
      status === 400
        ? { errors: [{ field: '(body)', message: detail ?? 'the body could not be read' }] }
        : {};
    return sendProblem(res, new Problem(status, PROBLEM_TYPES[kind].title, detail, extra, kind), requestId);
  }
  res.locals.log?.error('unhandled error', {
    err: err instanceof Error ? err.stack : String(err),
    path: req.path,
  });
  sendProblem(
    res,
    new Problem(500, 'Internal Server Error', 'an unexpected error occurred; see the server log'),
    requestId,
  );
};
