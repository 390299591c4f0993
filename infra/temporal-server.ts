// Starts and stops a Temporal dev server (`temporal server start-dev`, SQLite persistence) for
// `npm start` and for the test suite, and waits until it answers. Used only when TEMPORAL_ADDRESS
// is not set: then an external server (a cluster, Temporal Cloud) is used and nothing is started.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributes } from '../config';
import { campaignSearchAttributes } from '../workflows/search-attributes';
import { stopChild } from './child-process';
import { resolveTemporalCli } from './temporal-cli';

export interface DevServerOptions {
  cliPath?: string;
  port: number;
  uiPort?: number;
  /** SQLite file; in memory when omitted. */
  dbFile?: string;
  namespace: string;
  headless?: boolean;
  logFile?: string;
  log?: (line: string) => void;
}

export interface RunningTemporal {
  address: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

export async function waitForTemporal(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`Temporal at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

/** How long the dev server may take to shut down cleanly before it is killed. */
const STOP_GRACE_MS = 10_000;
const stopServer = (child: ChildProcess) => stopChild(child, STOP_GRACE_MS);

async function startWithCli(cliPath: string, opts: DevServerOptions): Promise<RunningTemporal> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port)];
  args.push('--namespace', opts.namespace, '--log-level', 'warn');
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  // The same pragmas the Temporal TypeScript SDK's own CI uses: much faster on a small machine.
  args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF');
  for (const [name, type] of Object.entries(searchAttributes))
    args.push('--search-attribute', `${name}=${type}`);
  if (opts.headless || !opts.uiPort) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort));

  const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(cliPath, args, { stdio: ['ignore', out, out] });
  const address = `127.0.0.1:${opts.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`temporal server exited early (code ${code}); see ${opts.logFile ?? 'its output'}`)),
    ),
  );
  try {
    await Promise.race([waitForTemporal(address, 60_000), exited]);
  } catch (err) {
    await stopServer(child);
    throw err;
  }
  return {
    address,
    uiUrl: opts.headless || !opts.uiPort ? null : `http://127.0.0.1:${opts.uiPort}`,
    stop: () => stopServer(child),
  };
}

/** Last resort on machines with internet: the SDK downloads and manages a dev server. */
async function startWithSdkDownload(opts: DevServerOptions): Promise<RunningTemporal> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: opts.port,
      namespace: opts.namespace,
      dbFilename: opts.dbFile,
      ui: !opts.headless && Boolean(opts.uiPort),
      uiPort: opts.uiPort,
      searchAttributes: campaignSearchAttributes,
    },
  });
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.headless || !opts.uiPort ? null : `http://127.0.0.1:${opts.uiPort}`,
    stop: () => env.teardown(),
  };
}

export async function startTemporalDevServer(opts: DevServerOptions): Promise<RunningTemporal> {
  const log = opts.log ?? console.log;
  const cli = await resolveTemporalCli(opts.cliPath, log);
  if (cli) return startWithCli(cli.path, opts);
  log(
    'No temporal CLI and no Go toolchain: asking the Temporal SDK to download a dev server (needs internet).',
  );
  return startWithSdkDownload(opts);
}
