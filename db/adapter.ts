// Driver adapters for Prisma's JavaScript engine path (no native engine to download).
// The migration adapter works around prisma/orm#27403: @prisma/adapter-pg 6.19 cannot map the
// PostgreSQL `name` type (OID 19) that the schema engine's introspection queries return, so those
// columns are re-labelled as `text` (OID 25) before the adapter sees them.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const NAME_OID = 19;
const TEXT_OID = 25;

class NameAsTextPool extends pg.Pool {
  // pg's overloads make a faithful override signature impractical; callers use the promise form.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as (...a: any[]) => any)(...args);
    if (result && typeof result.then === 'function') {
      return result.then((res: pg.QueryResult) => {
        for (const field of res.fields ?? []) {
          if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
        }
        return res;
      });
    }
    return result;
  }
}

export function createMigrationAdapter(databaseUrl: string): PrismaPg {
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  return new PrismaPg(new NameAsTextPool({ connectionString: databaseUrl, max: 2 }));
}

/**
 * How long a request waits for a connection before it fails — and the API answers 503 with
 * Retry-After (api/problem-types.ts). pg's default is to wait forever, which during a PostgreSQL
 * restart left requests hanging; a connection refused fails at once anyway.
 */
export const CONNECT_TIMEOUT_MS = 5_000;

export function runtimePoolConfig(databaseUrl: string, poolSize: number): pg.PoolConfig {
  return { connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS };
}
