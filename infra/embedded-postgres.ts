// The zero-setup database: PGlite (PostgreSQL compiled to WASM) persisted under the data folder and
// served on 127.0.0.1 with the PostgreSQL wire protocol, so the API, the worker and Prisma's
// migrations connect to it exactly as they would to a real PostgreSQL server.
// PGlite is a single backend: pglite-socket multiplexes connections query by query. That is fine for
// a demo and development; production and the test suite use a real PostgreSQL (DATABASE_URL).
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface RunningEmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
}): Promise<RunningEmbeddedPostgres> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: opts.dataDir });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: opts.port, maxConnections: 32 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${opts.port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
