// Starts the real servers the integration tests need, on ports and databases of their own so that
// a running `npm start` does not collide:
// - Temporal: TEST_TEMPORAL_ADDRESS if given, else a dev server (in memory) on a free port;
// - PostgreSQL: TEST_DATABASE_URL if given, else a fresh database on the local PostgreSQL server
//   (TEST_PG_ADMIN_URL, default postgresql://postgres@127.0.0.1:5432/postgres), else an embedded
//   PGlite on a free port — migrated with `prisma migrate deploy`;
// - the channel simulator in its own process on a free port.
// Free ports (not fixed ones) let two test runs share a machine.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../infra/embedded-postgres';
import { migrateDeploy } from '../../infra/migrate';
import { startTemporalDevServer } from '../../infra/temporal-server';

type Stop = () => Promise<void>;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
const g = globalThis as unknown as { __testStops?: Stop[] };

const log = (line: string) => process.stdout.write(`[test-setup] ${line}\n`);

async function prepareDatabase(stops: Stop[]): Promise<string> {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    log(`no PostgreSQL at ${adminUrl} (${String(err)}): using embedded PGlite`);
    const embedded = await startEmbeddedPostgres({
      dataDir: path.resolve('.data', `pglite-test-${process.pid}`),
      port: await freePort(),
    });
    stops.push(embedded.stop);
    return embedded.url;
  }
  const name = `campaign_test_${Date.now()}_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  stops.push(async () => {
    const dropper = new pg.Client({ connectionString: adminUrl });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dropper.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function startSimulator(stops: Stop[]): Promise<string> {
  if (process.env.TEST_SIMULATOR_URL) return process.env.TEST_SIMULATOR_URL;
  const port = await freePort();
  const tsx = path.resolve('node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [tsx, path.resolve('simulator', 'main.ts')], {
    env: { ...process.env, SIMULATOR_PORT: String(port), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  stops.push(
    () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/_sim/stats`)).ok) return url;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('channel simulator did not start');
}

export default async function globalSetup(): Promise<void> {
  const stops: Stop[] = [];
  g.__testStops = stops;
  const started = Date.now();

  const [databaseUrl, temporalAddress, simulatorUrl] = await Promise.all([
    prepareDatabase(stops).then(async (url) => {
      await migrateDeploy(url, log);
      return url;
    }),
    process.env.TEST_TEMPORAL_ADDRESS
      ? Promise.resolve(process.env.TEST_TEMPORAL_ADDRESS)
      : freePort()
          .then((port) => startTemporalDevServer({ port, namespace: 'default', headless: true, log }))
          .then((server) => {
            stops.push(server.stop);
            return server.address;
          }),
    startSimulator(stops),
  ]);
  process.env.TEST_DATABASE_URL = databaseUrl;
  process.env.TEST_TEMPORAL_ADDRESS = temporalAddress;
  process.env.TEST_SIMULATOR_URL = simulatorUrl;
  log(`ready in ${Date.now() - started} ms: temporal ${temporalAddress}, simulator ${simulatorUrl}`);
}
