// Creates the Prisma client used by the API and by activities (never by workflow code).
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { runtimePoolConfig } from './adapter';

export type Db = PrismaClient;

// The pg pool under each client's driver adapter, for the few hot paths that talk to PostgreSQL directly
// (the registration ingest, funnel/ingest/registration-sql.ts): sharing the pool keeps one connection
// budget per process instead of a second pool beside Prisma's.
const pools = new WeakMap<Db, pg.Pool>();

export function createDb(databaseUrl: string, poolSize = 10): Db {
  const pool = new pg.Pool(runtimePoolConfig(databaseUrl, poolSize));
  // An idle connection that breaks (a PostgreSQL restart) must not crash the process before Prisma has
  // attached its own listener: the next query on it fails and is answered as 503.
  pool.on('error', () => undefined);
  // disposeExternalPool: $disconnect ends the pool, as it did when the adapter made it itself.
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/** The pg pool under `db` (made by createDb). */
export function pgPoolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('this Prisma client was not made by createDb: it has no pg pool to share');
  return pool;
}
