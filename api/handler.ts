// Route handlers return { status, body } instead of writing to `res`, so that cross-cutting
// behaviour (idempotent replay, problem mapping) wraps them uniformly. Express 5 forwards
// rejected promises to the problem handler.
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Db } from '../db/client';
import { Problem, validationProblem } from './problem';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: Request, res: Response) => Promise<Reply>;

function send(res: Response, reply: Reply): void {
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.status === 204) res.status(204).end();
  else res.status(reply.status).json(reply.body);
}

export function handle(fn: Handler): RequestHandler {
  return async (req, res) => send(res, await fn(req, res));
}

const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * `Idempotency-Key` support for POSTs that create or trigger something: the first request's
 * reply is stored; a retry with the same key and body gets the same reply (and header
 * `Idempotent-Replayed: true`); the same key with a different body is refused (422).
 */
export function idempotent(db: Db, scope: string, fn: Handler): RequestHandler {
  return async (req, res) => {
    const key = req.header('Idempotency-Key');
    if (key === undefined) return send(res, await fn(req, res));
    if (!KEY.test(key)) {
      throw validationProblem([
        { field: 'header.Idempotency-Key', message: 'must be 1–200 visible ASCII characters' },
      ]);
    }
    // Scoped by the key's id, not its name: names are not unique, and a replay must never hand one
    // key's reply (which may name resources or secrets) to another key that happens to share a name.
    const principal = (res.locals.principal as { id?: string } | undefined)?.id ?? 'anonymous';
    const id = `${scope}:${principal}:${key}`;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    const claimed = await db.idempotencyRecord.createMany({
      data: [{ key: id, requestHash, status: 0, body: {} }],
      skipDuplicates: true,
    });
    if (claimed.count === 0) {
      const existing = await db.idempotencyRecord.findUnique({ where: { key: id } });
      if (!existing)
        throw Problem.of(
          'request-in-progress',
          'the request with this Idempotency-Key is being retried; try again',
        );
      if (existing.requestHash !== requestHash) {
        throw new Problem(
          422,
          'Unprocessable Content',
          'Idempotency-Key was already used with a different request',
        );
      }
      if (existing.status === 0) {
        throw Problem.of(
          'request-in-progress',
          'a request with this Idempotency-Key is still in progress; retry later',
        );
      }
      res.setHeader('Idempotent-Replayed', 'true');
      return send(res, { status: existing.status, body: existing.body });
    }
    try {
      const reply = await fn(req, res);
      await db.idempotencyRecord.update({
        where: { key: id },
        data: { status: reply.status, body: (reply.body ?? null) as object },
      });
      return send(res, reply);
    } catch (err) {
      // Nothing was accepted: release the key so that a corrected retry can use it.
      await db.idempotencyRecord.delete({ where: { key: id } }).catch(() => undefined);
      throw err;
    }
  };
}
