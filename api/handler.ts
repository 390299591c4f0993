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
 * How long a claimed key may stay "in progress" before a retry of a re-runnable request takes it over.
 * Longer than a healthy ingest batch (a batch of 1,000 items takes a few seconds, the pool waits at most
 * 5 s for a connection), short enough that a client resending identical bytes after an API crash gets
 * through soon. A slow request overtaken by its retry is harmless for re-runnable requests: both run,
 * each item is stored once (its own key, under the campaign's lock), and either reply is a true one.
 */
export const IN_PROGRESS_LEASE_MS = 10_000;
/** A claim whose request failed is released; while the database is down, the release is retried. */
const RELEASE_RETRY_MS = 1_000;
const RELEASE_ATTEMPTS = 120;

export interface IdempotentOptions {
  /**
   * The handler's effect is idempotent by its items' own keys (a registration by campaign + customerRef,
   * an event by eventId, a delivery report by placement + reportId), so running it again after an attempt
   * that died half-way is safe: an item stored by the lost attempt is answered `duplicate_request`.
   * Such a request's claim is taken over once it has been in progress for IN_PROGRESS_LEASE_MS — without
   * that, a process killed between claiming the key and storing the reply (kill -9, OOM, a host lost)
   * would leave the key "in progress" for ever, and a client resending identical bytes could never get
   * its batch stored (found by `npm run chaos`).
   */
  rerunnable?: boolean;
  /** For tests: the lease (default IN_PROGRESS_LEASE_MS). */
  leaseMs?: number;
}

/**
 * Releases a failed request's claim, so that a retry can use the key. When the failure was the database
 * itself (a restart, a lost connection), the release fails too: it is retried in the background until the
 * database is back, or the key would stay "in progress" for ever.
 */
async function releaseClaim(db: Db, key: string): Promise<void> {
  const release = () => db.idempotencyRecord.deleteMany({ where: { key, status: 0 } });
  // The first attempt is awaited, so that a corrected retry sent right after the refusal finds the key free.
  try {
    await release();
    return;
  } catch {
    // the database is down: keep trying in the background
  }
  let attempt = 1;
  const again = () => {
    release().catch(() => {
      if (++attempt <= RELEASE_ATTEMPTS) setTimeout(again, RELEASE_RETRY_MS).unref();
    });
  };
  setTimeout(again, RELEASE_RETRY_MS).unref();
}

/**
 * `Idempotency-Key` support for POSTs that create or trigger something: the first request's
 * reply is stored; a retry with the same key and body gets the same reply (and header
 * `Idempotent-Replayed: true`); the same key with a different body is refused (422).
 */
export function idempotent(
  db: Db,
  scope: string,
  fn: Handler,
  options: IdempotentOptions = {},
): RequestHandler {
  const leaseMs = options.leaseMs ?? IN_PROGRESS_LEASE_MS;
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
    /** A stale claim of the same request, taken over by exactly one retry (compare-and-set on its time). */
    const takenOver = async (): Promise<boolean> => {
      if (!options.rerunnable) return false;
      const stale = await db.idempotencyRecord.findUnique({ where: { key: id } });
      if (!stale || stale.status !== 0 || stale.requestHash !== requestHash) return false;
      if (Date.now() - stale.createdAt.getTime() < leaseMs) return false;
      const taken = await db.idempotencyRecord.updateMany({
        where: { key: id, status: 0, createdAt: stale.createdAt },
        data: { createdAt: new Date() },
      });
      return taken.count === 1;
    };
    // The claim's time is the API's clock, written explicitly: the lease is measured against it.
    const claimed = await db.idempotencyRecord.createMany({
      data: [{ key: id, requestHash, status: 0, body: {}, createdAt: new Date() }],
      skipDuplicates: true,
    });
    if (claimed.count === 0 && !(await takenOver())) {
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
      await releaseClaim(db, id);
      throw err;
    }
  };
}
