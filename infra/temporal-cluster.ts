// A production-shaped Temporal server on the local PostgreSQL — not the dev server: the real server
// binary (`go.temporal.io/server/cmd/server`), its schemas installed by Temporal's own SQL tool, all
// four services (frontend, history, matching, worker) in one process, several history shards. It is
// what a bank deploys (docs/deployment.md), run here by `npm run bench:cluster` and by hand:
//   tsx infra/temporal-cluster.ts build                 builds the server and the SQL tool into .tools/bin
//   tsx infra/temporal-cluster.ts start [--port 7433]   build if needed, schema, config, start; Ctrl-C stops
// Steps seen working on this machine: ../shared/docs/toolchain.md, "Temporal server".
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import pg from 'pg';
import { projectRoot } from '../config';
import { stopChild } from './child-process';
import { ensureSearchAttributes } from './search-attributes';
import { waitForTemporal } from './temporal-server';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const SERVER_PACKAGE = 'go.temporal.io/server/cmd/server';
const SQL_TOOL_PACKAGE = 'go.temporal.io/server/cmd/tools/sql';
const toolsBin = path.join(projectRoot, '.tools', 'bin');
/** `go install` names them `server` and `sql`; renamed as Temporal's own images name them. */
export const serverBinary = path.join(toolsBin, 'temporal-server');
export const sqlToolBinary = path.join(toolsBin, 'temporal-sql-tool');

export interface ClusterPorts {
  frontendGrpc: number;
  frontendHttp: number;
  frontendMembership: number;
  historyGrpc: number;
  historyMembership: number;
  matchingGrpc: number;
  matchingMembership: number;
  workerGrpc: number;
  workerMembership: number;
}

export interface ClusterDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Temporal's persistence (histories, mutable state, task queues). */
  database: string;
  /** Visibility (list/search of workflows, the campaigns' search attributes). */
  visibilityDatabase: string;
}

export interface ClusterConfigInput {
  db: ClusterDatabase;
  ports: ClusterPorts;
  /** Fixed for the life of a cluster: the unit history work is spread over (and scaled by). */
  numHistoryShards: number;
  /** Connections per service and store; the four services share one process here. */
  maxConns: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** The largest port Temporal's PostgreSQL schema can record (cluster_membership.rpc_port is SMALLINT). */
export const MAX_CLUSTER_PORT = 32767;

const quote = (value: string) => JSON.stringify(value);

/**
 * The server's config (`config/development.yaml`), shaped like the module's
 * config/development-postgres12.yaml: postgres12 persistence and visibility, every service bound to
 * 127.0.0.1 on the ports given (so it never clashes with the dev server the tests start), no archival,
 * no pprof and no metrics listener (ports nobody reads would only be more to clash).
 */
export function renderClusterConfig(input: ClusterConfigInput): string {
  if (!Number.isInteger(input.numHistoryShards) || input.numHistoryShards < 1)
    throw new Error('numHistoryShards must be a positive integer');
  const { db, ports } = input;
  for (const [name, port] of Object.entries(ports)) {
    // Temporal stores each service's membership port in cluster_membership.rpc_port, a SMALLINT:
    // a port from the OS's ephemeral range (32768 and up on Linux) fails every heartbeat there.
    if (!Number.isInteger(port) || port < 1 || port > MAX_CLUSTER_PORT)
      throw new Error(`${name} port ${port} must be between 1 and ${MAX_CLUSTER_PORT}`);
  }
  const store = (database: string, maxConns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: ${quote(database)}
        connectAddr: ${quote(`${db.host}:${db.port}`)}
        connectProtocol: "tcp"
        user: ${quote(db.user)}
        password: ${quote(db.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (name: string, grpc: number, membership: number, http?: number) => `  ${name}:
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${http ? `\n      httpPort: ${http}` : ''}`;
  return `# Written by infra/temporal-cluster.ts; do not edit (it is rewritten at every start).
log:
  stdout: true
  level: ${input.logLevel}

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${input.numHistoryShards}
  datastores:
    postgres-default:
${store(db.database, input.maxConns)}
    postgres-visibility:
${store(db.visibilityDatabase, Math.max(2, Math.floor(input.maxConns / 4)))}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
${service('frontend', ports.frontendGrpc, ports.frontendMembership, ports.frontendHttp)}
${service('matching', ports.matchingGrpc, ports.matchingMembership)}
${service('history', ports.historyGrpc, ports.historyMembership)}
${service('worker', ports.workerGrpc, ports.workerMembership)}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: ${quote(`127.0.0.1:${ports.frontendGrpc}`)}

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: "config/dynamicconfig/development-sql.yaml"
  pollInterval: "10s"
`;
}

/** Dynamic config: the module's development-sql.yaml minus its Nexus endpoint on port 7243. */
export const CLUSTER_DYNAMIC_CONFIG = `limit.maxIDLength:
  - value: 255
    constraints: {}
system.enableNexus:
  - value: false
history.hostLevelCacheMaxSize:
  - value: 8192
`;

function onPath(command: string): string | null {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const found = result.stdout.trim();
  return result.status === 0 && found ? found : null;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(
            new Error(`${path.basename(file)} ${args.join(' ')} exited ${code}:\n${output.slice(-2000)}`),
          ),
    );
  });
}

/** Builds the server and the SQL tool with `go install` into .tools/bin, unless both are there. */
export async function buildTemporalServer(log: (line: string) => void = console.log): Promise<void> {
  if (fs.existsSync(serverBinary) && fs.existsSync(sqlToolBinary)) return;
  const go = onPath('go');
  if (!go) throw new Error('Go is not installed: it is needed to build the Temporal server');
  fs.mkdirSync(toolsBin, { recursive: true });
  // go install names binaries after their package directory; build into a directory of our own so
  // that no other `server` or `sql` in .tools/bin is overwritten, then rename.
  const gobin = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-server-build-'));
  log(
    `Building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool with Go (about 2 min of CPU)…`,
  );
  const started = Date.now();
  await run(
    go,
    [
      'install',
      `${SERVER_PACKAGE}@${TEMPORAL_SERVER_VERSION}`,
      `${SQL_TOOL_PACKAGE}@${TEMPORAL_SERVER_VERSION}`,
    ],
    {
      ...process.env,
      GOBIN: gobin,
      GOFLAGS: [process.env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' '),
    },
  );
  fs.copyFileSync(path.join(gobin, 'server'), serverBinary);
  fs.copyFileSync(path.join(gobin, 'sql'), sqlToolBinary);
  fs.chmodSync(serverBinary, 0o755);
  fs.chmodSync(sqlToolBinary, 0o755);
  fs.rmSync(gobin, { recursive: true, force: true });
  log(`Temporal server built in ${Math.round((Date.now() - started) / 1000)} s: ${serverBinary}`);
}

/** The module's versioned schema directories (in Go's module cache, where the build put them). */
async function schemaDir(kind: 'temporal' | 'visibility'): Promise<string> {
  const modCache = (await run(onPath('go') ?? 'go', ['env', 'GOMODCACHE'])).trim();
  const dir = path.join(
    modCache,
    `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`,
    'schema',
    'postgresql',
    'v12',
    kind,
    'versioned',
  );
  if (!fs.existsSync(dir))
    throw new Error(`Temporal's schema directory ${dir} is missing (run the build first)`);
  return dir;
}

/**
 * Creates both databases when missing and brings their schemas to the server's version with
 * Temporal's SQL tool: setup-schema -v 0.0 (the version table) then update-schema (every versioned
 * step). Both are no-ops on a current schema, so this runs before every start, as a release would.
 */
export async function setupClusterSchema(db: ClusterDatabase, log: (line: string) => void = console.log) {
  await asAdmin(db, async (admin) => {
    for (const name of [db.database, db.visibilityDatabase]) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name))
        throw new Error(`database name ${name} is not a plain identifier`);
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
    }
  });
  const env = { ...process.env, SQL_PASSWORD: db.password };
  for (const [name, kind] of [
    [db.database, 'temporal'],
    [db.visibilityDatabase, 'visibility'],
  ] as const) {
    const common = [
      '--plugin',
      'postgres12',
      '--ep',
      db.host,
      '-p',
      String(db.port),
      '-u',
      db.user,
      '--db',
      name,
    ];
    await run(sqlToolBinary, [...common, 'setup-schema', '-v', '0.0'], env);
    await run(sqlToolBinary, [...common, 'update-schema', '-d', await schemaDir(kind)], env);
    log(`  schema of ${name} (${kind}) is current`);
  }
}

export interface ClusterOptions {
  db: ClusterDatabase;
  ports: ClusterPorts;
  numHistoryShards?: number;
  maxConns?: number;
  namespace: string;
  /** Where the config and the server's log go; a fresh temporary directory when omitted. */
  rootDir?: string;
  log?: (line: string) => void;
}

export interface RunningCluster {
  address: string;
  rootDir: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** How long the cluster server may take to shut down cleanly before it is killed. */
const STOP_GRACE_MS = 15_000;
const stopServer = (child: ChildProcess) => stopChild(child, STOP_GRACE_MS);

/** Registers the namespace when missing and waits until the frontend serves it. */
async function ensureNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('3 days'),
      });
    } catch (err) {
      if (!/already exists/i.test(String(err))) throw err;
    }
    // The frontend learns new namespaces on its namespace-cache refresh (about 10 s).
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await connection.close();
  }
}

/** Build (if needed), schema, config, start; resolves once the namespace and search attributes work. */
export async function startTemporalCluster(opts: ClusterOptions): Promise<RunningCluster> {
  const log = opts.log ?? console.log;
  await buildTemporalServer(log);
  await setupClusterSchema(opts.db, log);
  const rootDir = opts.rootDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-cluster-'));
  fs.mkdirSync(path.join(rootDir, 'config', 'dynamicconfig'), { recursive: true });
  fs.writeFileSync(
    path.join(rootDir, 'config', 'development.yaml'),
    renderClusterConfig({
      db: opts.db,
      ports: opts.ports,
      numHistoryShards: opts.numHistoryShards ?? 4,
      maxConns: opts.maxConns ?? 10,
      logLevel: 'warn',
    }),
  );
  fs.writeFileSync(
    path.join(rootDir, 'config', 'dynamicconfig', 'development-sql.yaml'),
    CLUSTER_DYNAMIC_CONFIG,
  );
  const logFile = path.join(rootDir, 'server.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    serverBinary,
    ['--root', rootDir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'],
    { cwd: rootDir, stdio: ['ignore', out, out] },
  );
  const address = `127.0.0.1:${opts.ports.frontendGrpc}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`temporal-server exited early (code ${code}); see ${logFile}`)),
    ),
  );
  const started = Date.now();
  try {
    await Promise.race([
      (async () => {
        await waitForTemporal(address, 120_000);
        await ensureNamespace(address, opts.namespace);
        await ensureSearchAttributes(address, opts.namespace);
      })(),
      exited,
    ]);
  } catch (err) {
    await stopServer(child);
    throw err;
  }
  exited.catch(() => undefined);
  log(
    `Temporal server up at ${address} in ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${logFile})`,
  );
  return { address, rootDir, pid: child.pid, stop: () => stopServer(child) };
}

/** Drops both databases (for scratch clusters such as the benchmark's). */
export async function dropClusterDatabases(db: ClusterDatabase): Promise<void> {
  await asAdmin(db, async (admin) => {
    for (const name of [db.database, db.visibilityDatabase])
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** Runs `work` connected to the server's maintenance database (creating and dropping databases). */
async function asAdmin(db: ClusterDatabase, work: (admin: pg.Client) => Promise<void>): Promise<void> {
  const admin = new pg.Client({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: 'postgres',
  });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Nine ports free now, below the OS's ephemeral range (see MAX_CLUSTER_PORT), from a random start so
 * that two runs at once rarely try the same ones.
 */
export async function freeClusterPorts(low = 20_000, high = MAX_CLUSTER_PORT): Promise<ClusterPorts> {
  const names: (keyof ClusterPorts)[] = [
    'frontendGrpc',
    'frontendHttp',
    'frontendMembership',
    'historyGrpc',
    'historyMembership',
    'matchingGrpc',
    'matchingMembership',
    'workerGrpc',
    'workerMembership',
  ];
  const found: number[] = [];
  let port = low + Math.floor(Math.random() * (high - low - 1000));
  while (found.length < names.length) {
    if (port > high) throw new Error(`no ${names.length} free ports between ${low} and ${high}`);
    if (await portIsFree(port)) found.push(port);
    port++;
  }
  return Object.fromEntries(names.map((name, i) => [name, found[i]])) as unknown as ClusterPorts;
}

/** Consecutive ports from `base` (frontend gRPC first), as the module's sample configs lay them out. */
export function portsFrom(base: number): ClusterPorts {
  return {
    frontendGrpc: base,
    historyGrpc: base + 1,
    matchingGrpc: base + 2,
    workerGrpc: base + 6,
    frontendHttp: base + 10,
    frontendMembership: base - 300,
    historyMembership: base - 299,
    matchingMembership: base - 298,
    workerMembership: base - 294,
  };
}

if (require.main === module) {
  const [command = 'start', ...rest] = process.argv.slice(2);
  const flag = (name: string, fallback: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 && rest[i + 1] ? (rest[i + 1] as string) : fallback;
  };
  const main = async () => {
    if (command === 'build') return buildTemporalServer();
    if (command !== 'start') throw new Error(`unknown command ${command} (build | start)`);
    const cluster = await startTemporalCluster({
      db: {
        host: flag('db-host', '127.0.0.1'),
        port: Number(flag('db-port', '5432')),
        user: flag('db-user', 'postgres'),
        password: process.env.TEMPORAL_DB_PASSWORD ?? '',
        database: flag('db', 'temporal'),
        visibilityDatabase: flag('visibility-db', 'temporal_visibility'),
      },
      // 7433, not 7233: the dev server `npm start` and the tests run keeps the default port.
      ports: portsFrom(Number(flag('port', '7433'))),
      numHistoryShards: Number(flag('shards', '4')),
      namespace: flag('namespace', 'default'),
      rootDir: path.join(projectRoot, '.tools', 'temporal-cluster'),
    });
    console.log(`TEMPORAL_ADDRESS=${cluster.address}  (Ctrl-C stops it)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await cluster.stop();
  };
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
