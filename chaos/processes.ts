// The processes of a chaos run, each one the run's own: a PostgreSQL cluster in a temp dir (so that
// restarting it never touches the shared server on 5432), a Temporal dev server on SQLite in the same
// dir (so that a kill -9 and a restart keep its state), and the API, the workers and the channel
// simulator as separate Node processes. Everything started here is stopped by `stopAll`, also on Ctrl-C.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot, searchAttributes } from '../config';
import { waitForTemporal } from '../infra/temporal-server';

const run = promisify(execFile);

/** Ports Node's fetch refuses (the Fetch standard's bad-port list, docs in /work/shared/docs/toolchain.md). */
const FETCH_BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** A port the OS says is free now (bound to 0 and released), outside fetch's bad-port list. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as net.AddressInfo;
        server.close(() => resolve(p));
      });
    });
    if (!FETCH_BAD_PORTS.has(port)) return port;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/** The newest PostgreSQL installed under /usr/lib/postgresql (or CHAOS_PG_BIN). */
export function postgresBinDir(explicit?: string): string {
  if (explicit) return explicit;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error(`no PostgreSQL under ${root}: set CHAOS_PG_BIN`);
  return path.join(root, versions[0] as string, 'bin');
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` OS user. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export class OwnPostgres {
  readonly url: string;
  private readonly dataDir: string;
  private readonly logFile: string;

  constructor(
    private readonly binDir: string,
    private readonly dir: string,
    readonly port: number,
  ) {
    this.dataDir = path.join(dir, 'pg');
    this.logFile = path.join(dir, 'postgres.log');
    this.url = `postgresql://postgres@127.0.0.1:${port}/chaos`;
  }

  private pgCtl(args: string[]): Promise<unknown> {
    const [command, argv] = asPostgresUser(path.join(this.binDir, 'pg_ctl'), args);
    return run(command, argv, { timeout: 120_000 });
  }

  private serverOptions(): string {
    // fsync off: the run tests recovery from process faults, not from power loss; the disk is shared.
    return `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  }

  async start(): Promise<void> {
    if (process.getuid?.() === 0) await run('chown', ['-R', 'postgres', this.dir]);
    const [command, argv] = asPostgresUser(path.join(this.binDir, 'initdb'), [
      '-D',
      this.dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await run(command, argv, { timeout: 120_000 });
    await this.pgCtl(['-D', this.dataDir, '-l', this.logFile, '-w', '-o', this.serverOptions(), 'start']);
    const [createdb, args] = asPostgresUser(path.join(this.binDir, 'createdb'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(this.port),
      '-U',
      'postgres',
      'chaos',
    ]);
    await run(createdb, args, { timeout: 60_000 });
  }

  /** `pg_ctl restart -m fast|immediate`: every connection is cut; clients must reconnect. */
  restart(mode: 'fast' | 'immediate'): Promise<unknown> {
    return this.pgCtl([
      '-D',
      this.dataDir,
      '-l',
      this.logFile,
      '-w',
      '-m',
      mode,
      '-o',
      this.serverOptions(),
      'restart',
    ]);
  }

  async stop(): Promise<void> {
    if (!fs.existsSync(path.join(this.dataDir, 'postmaster.pid'))) return;
    await this.pgCtl(['-D', this.dataDir, '-w', '-m', 'immediate', 'stop']).catch(() => undefined);
  }
}

/** A long-running child process that can be killed with SIGKILL and started again the same way. */
export class Service {
  private child: ChildProcess | null = null;
  private expectedExit = false;
  private readonly log: number;
  restarts = 0;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    logFile: string,
    private readonly onUnexpectedExit: (name: string, code: number | null, signal: string | null) => void,
  ) {
    this.log = fs.openSync(logFile, 'a');
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    this.expectedExit = false;
    const child = spawn(this.command, this.args, {
      cwd: projectRoot,
      env: this.env,
      stdio: ['ignore', this.log, this.log],
    });
    this.child = child;
    child.once('exit', (code, signal) => {
      if (this.child === child && !this.expectedExit) this.onUnexpectedExit(this.name, code, signal);
    });
  }

  /** kill -9: no drain, no goodbye. Resolves once the process is gone. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.expectedExit = true;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }

  async restart(): Promise<void> {
    this.restarts += 1;
    this.start();
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  async stop(graceMs = 8_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.expectedExit = true;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }

  /** Synchronous last resort for process exit handlers. */
  killNow(): void {
    if (this.child && this.running) {
      this.expectedExit = true;
      this.child.kill('SIGKILL');
    }
  }
}

export function tsxService(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
  onUnexpectedExit: (name: string, code: number | null, signal: string | null) => void,
): Service {
  // `node --import tsx`, not the tsx CLI: the CLI runs the program in a child process of its own, so a
  // SIGKILL would kill only the CLI and leave the real API or worker running as an orphan.
  return new Service(
    name,
    process.execPath,
    ['--import', 'tsx', path.join(projectRoot, entry)],
    env,
    path.join(logDir, `${name}.log`),
    onUnexpectedExit,
  );
}

export function temporalService(
  cliPath: string,
  port: number,
  dir: string,
  namespace: string,
  onUnexpectedExit: (name: string, code: number | null, signal: string | null) => void,
): Service {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless'];
  args.push('--namespace', namespace, '--log-level', 'warn');
  args.push('--db-filename', path.join(dir, 'temporal.db'));
  args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF');
  for (const [name, type] of Object.entries(searchAttributes))
    args.push('--search-attribute', `${name}=${type}`);
  return new Service(
    'temporal',
    cliPath,
    args,
    process.env,
    path.join(dir, 'temporal.log'),
    onUnexpectedExit,
  );
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  await waitFor(url, async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok, timeoutMs);
}

export { waitForTemporal };

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-'));
}
