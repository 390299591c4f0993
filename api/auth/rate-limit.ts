// Requests per API key per minute, counted in PostgreSQL so that every API process behind a load
// balancer shares one count (an in-memory counter would multiply the limit by the number of processes).
// A fixed one-minute window: one upsert per request, `count + 1` done atomically by the database.
import { pgPoolOf, type Db } from '../../db/client';
import type { Principal } from './principal';

export interface RateLimits {
  /** Requests per minute per key. */
  perMinute: number;
  /** For channel-system keys, whose batch ingest is bursty and machine-driven. */
  ingestPerMinute: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends (what `Retry-After` says when refused). */
  resetSeconds: number;
}

export type RateLimiter = (principal: Principal) => Promise<RateLimitDecision>;

const WINDOW_MS = 60_000;

// Through the pg pool (db/client.ts), not Prisma: one statement per request of every key, the ingest's
// batches included, where Prisma's per-request work showed in the API's CPU profile.
const COUNT_REQUEST = `
  INSERT INTO "RateLimitWindow" ("keyId", "windowStart", "count")
  VALUES ($1, $2, 1)
  ON CONFLICT ("keyId", "windowStart") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1
  RETURNING "count"`;
const FORGET_OLDER_WINDOWS = `DELETE FROM "RateLimitWindow" WHERE "keyId" = $1 AND "windowStart" < $2`;

export function postgresRateLimiter(db: Db, limits: RateLimits, now: () => number = Date.now): RateLimiter {
  return async (principal) => {
    const at = now();
    const windowStart = new Date(at - (at % WINDOW_MS));
    const limit = principal.role === 'channel-system' ? limits.ingestPerMinute : limits.perMinute;
    const pool = pgPoolOf(db);
    const { rows } = await pool.query<{ count: number }>(COUNT_REQUEST, [principal.id, windowStart]);
    const count = Number(rows[0]?.count ?? 1);
    if (count === 1) {
      // The key's first request in a new window: its older windows will never be read again.
      await pool.query(FORGET_OLDER_WINDOWS, [principal.id, windowStart]);
    }
    return {
      allowed: count <= limit,
      limit,
      remaining: Math.max(0, limit - count),
      resetSeconds: Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - at) / 1000)),
    };
  };
}
