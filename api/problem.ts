// RFC 9457 problem details: every error the API returns is application/problem+json, names each
// invalid field, and never leaks a stack trace or SQL.
import type { ErrorRequestHandler, Response } from 'express';
import type { ZodError } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
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
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: `about:blank`,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      ...(requestId ? { requestId } : {}),
      ...problem.extra,
    });
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
    return sendProblem(
      res,
      new Problem(status, status === 413 ? 'Payload Too Large' : 'Bad Request', detail),
      requestId,
    );
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
