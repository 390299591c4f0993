// `npm start`: the whole system on one machine. Starts what is not configured externally —
// embedded PostgreSQL (PGlite) without DATABASE_URL, a Temporal dev server without TEMPORAL_ADDRESS —
// applies migrations, seeds the demo bank on an empty embedded database (demo/, docs/demo.md), then runs
// the channel simulator, the worker, the API and, in demo mode, the demo director as child processes and
// prints where everything is. Ctrl-C stops everything it started, in reverse order.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bootstrapAdminKey } from '../api/auth/bootstrap';
import { dataDir, loadEnv, projectRoot } from '../config';
import { createDb } from '../db/client';
import { demoBanner, prepareDemo } from '../demo/start';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';
import { migrateDeploy } from '../infra/migrate';
import { startTemporalDevServer } from '../infra/temporal-server';

const say = (line: string) => console.log(`[start] ${line}`);

async function main(): Promise<void> {
  const env = loadEnv();
  const data = dataDir(env);
  fs.mkdirSync(data, { recursive: true });
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const { name, stop } of stops.reverse()) {
      await stop().catch((err: unknown) => say(`${name} did not stop cleanly: ${String(err)}`));
    }
    say('stopped.');
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  try {
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      say(`DATABASE_URL not set: starting embedded PostgreSQL (PGlite) in ${path.join(data, 'pglite')}`);
      const pg = await startEmbeddedPostgres({
        dataDir: path.join(data, 'pglite'),
        port: env.EMBEDDED_PG_PORT,
      });
      stops.push({ name: 'embedded PostgreSQL', stop: pg.stop });
      databaseUrl = pg.url;
    }
    await migrateDeploy(databaseUrl, say);

    // The demo bank (docs/demo.md) is seeded while the Temporal server starts: it needs only the database.
    const demoReady = prepareDemo({
      databaseUrl,
      embedded: !env.DATABASE_URL,
      demo: env.DEMO,
      dataDir: data,
      log: say,
    });
    demoReady.catch(() => undefined); // awaited below

    let temporalAddress = env.TEMPORAL_ADDRESS;
    let uiUrl: string | null = null;
    if (!temporalAddress) {
      say(
        `TEMPORAL_ADDRESS not set: starting a Temporal dev server (SQLite in ${path.join(data, 'temporal.db')})`,
      );
      const server = await startTemporalDevServer({
        cliPath: env.TEMPORAL_CLI_PATH,
        port: env.TEMPORAL_PORT,
        uiPort: env.TEMPORAL_UI_PORT,
        dbFile: path.join(data, 'temporal.db'),
        namespace: env.TEMPORAL_NAMESPACE,
        logFile: path.join(data, 'temporal.log'),
        log: say,
      });
      stops.push({ name: 'Temporal dev server', stop: server.stop });
      temporalAddress = server.address;
      uiUrl = server.uiUrl;
    }

    const demo = await demoReady;
    const simulatorUrl = env.SIMULATOR_URL ?? `http://127.0.0.1:${env.SIMULATOR_PORT}`;
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      SIMULATOR_URL: simulatorUrl,
    };
    // Never inherited: only a demo start hands the API a key for the console (api/demo-session.ts).
    delete childEnv.DEMO_CONSOLE_KEY;
    const children: (readonly [string, string, NodeJS.ProcessEnv])[] = [
      ...(env.SIMULATOR_URL ? [] : ([['simulator', 'simulator/main.ts', childEnv]] as const)),
      ['worker', 'worker/main.ts', childEnv],
      ['api', 'api/main.ts', demo.keys ? { ...childEnv, DEMO_CONSOLE_KEY: demo.keys.marketer } : childEnv],
    ];
    // Once stopping, a child's exit is expected: a Ctrl-C in the terminal reaches every process of
    // the group at once, so a child may exit on its own before it is asked to.
    const start = (name: string, entry: string, env: NodeJS.ProcessEnv) => {
      const child = runChild(
        name,
        entry,
        env,
        () => stopping,
        () => void stopAll(1),
      );
      stops.push({ name, stop: () => stopChild(child) });
    };
    for (const [name, entry, env] of children) start(name, entry, env);

    const apiUrl = `http://${env.API_HOST}:${env.API_PORT}`;
    await waitForHttp(`${apiUrl}/healthz`, 60_000);
    if (demo.run)
      start('demo director', 'demo/director-main.ts', { ...childEnv, DEMO_KEY_FILE: demo.keyFile });
    // Created only once everything is up, right before it is printed: a start that fails on the way
    // does not leave behind an admin key that nobody saw.
    const adminKey = await firstAdminKey(databaseUrl);
    say('─'.repeat(60));
    say(`API              ${apiUrl}   (health: ${apiUrl}/readyz)`);
    say(`Console          ${apiUrl}/console/`);
    say(`API docs         ${apiUrl}/docs   (OpenAPI: ${apiUrl}/openapi.json)`);
    say(
      `Temporal         ${temporalAddress}   namespace ${env.TEMPORAL_NAMESPACE}, task queue ${env.TASK_QUEUE}`,
    );
    say(`Temporal Web UI  ${uiUrl ?? '(external server: see its own UI)'}`);
    say(`Channel sim.     ${simulatorUrl}`);
    say(
      `Database         ${env.DATABASE_URL ? 'external (DATABASE_URL)' : `embedded PGlite in ${path.join(data, 'pglite')}`}`,
    );
    say(`API keys         npm run keys -- list | create --name NAME --role ROLE | revoke ID`);
    // The embedded database's URL holds no real secret; an external one may hold a password: not printed.
    say(`                 with DATABASE_URL=${env.DATABASE_URL ? '(as set for npm start)' : databaseUrl}`);
    if (adminKey) say(`admin API key (shown once): ${adminKey}`);
    if (demo.keys) for (const line of demoBanner(apiUrl, uiUrl, demo.keys)) say(line);
    say('Press Ctrl-C to stop everything.');
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
  }
}

/** A fresh database has no key to call the API with: create the first admin key (docs/api/auth.md). */
async function firstAdminKey(databaseUrl: string): Promise<string | null> {
  const db = createDb(databaseUrl, 1);
  try {
    return await bootstrapAdminKey(db, 'npm start');
  } finally {
    await db.$disconnect();
  }
}

function runChild(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  stopping: () => boolean,
  onUnexpectedExit: () => void,
): ChildProcess {
  const tsx = path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [tsx, path.join(projectRoot, entry)], { env, stdio: 'inherit' });
  child.once('exit', (code, signal) => {
    if ((child as ChildProcess & { expectedExit?: boolean }).expectedExit || stopping()) return;
    say(`${name} exited unexpectedly (code ${code}, signal ${signal})`);
    onUnexpectedExit();
  });
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  (child as ChildProcess & { expectedExit?: boolean }).expectedExit = true;
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

void main();
