// Requests per API key per minute, counted in PostgreSQL so that every API process behind a load
// balancer shares one count (an in-memory counter would multiply the limit by the number of processes).
// A fixed one-minute window: one upsert per request, `count + 1` done atomically by the database.
import type { Db } from '../../db/client';
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

export function postgresRateLimiter(db: Db, limits: RateLimits, now: () => number = Date.now): RateLimiter {
  return async (principal) => {
    const at = now();
    const windowStart = new Date(at - (at % WINDOW_MS));
    const limit = principal.role === 'channel-system' ? limits.ingestPerMinute : limits.perMinute;
    const [row] = await db.$queryRaw<{ count: number }[]>`
      INSERT INTO "RateLimitWindow" ("keyId", "windowStart", "count")
      VALUES (${principal.id}, ${windowStart}, 1)
      ON CONFLICT ("keyId", "windowStart") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1
      RETURNING "count"`;
    const count = Number(row?.count ?? 1);
    if (count === 1) {
      // The key's first request in a new window: its older windows will never be read again.
      await db.$executeRaw`
        DELETE FROM "RateLimitWindow" WHERE "keyId" = ${principal.id} AND "windowStart" < ${windowStart}`;
    }
    return {
      allowed: count <= limit,
      limit,
      remaining: Math.max(0, limit - count),
      resetSeconds: Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - at) / 1000)),
    };
  };
}
