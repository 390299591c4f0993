// Benchmark (not a test): a campaign of 100,000 registrations with a compressed new-customer period
// (a 3-step plan over 60 seconds), run by the real processes — the API, the worker and the channel
// simulator as child processes, a Temporal dev server and a scratch PostgreSQL database. Prints:
// ingest rate, wall time from the last registration to the end of the campaign, messages delivered,
// Temporal history events used in total, and the peak memory (VmHWM) of the worker and the API.
// The raw baseline (scripts/bench/raw-ingest.ts), the same rows written straight through `pg`, same batch
// size and concurrency, same database, twice: once before the campaign on the quiet database
// (quietRawPerSecond), and once DURING the API path's ingest, the two taking turns of RAW_TURN_BATCHES
// batches (alternation.ts) while the cohort steps send — the same conditions as the API path's, and the
// one its rate is reported against (rawPerSecond, ingestVsRaw; ingestVsQuietRaw beside it).
//   npm run bench:funnel            (REGISTRATIONS=100000 by default)
//   BENCH_CONCURRENCY=N             batches in flight on each side, the API path and the raw baseline
//                                   alike (default 2)
//   BENCH_CPU_PROF=DIR              also writes the API's and the worker's V8 CPU profiles into DIR
//   BENCH_WORKER_ARGS='…'           node options for the worker (default: the deployment's heap limit,
//                                   infra/heap-limits.ts; '--max-old-space-size=4096' for V8's own)
//   BENCH_API_ARGS='…'              the same for the API
//   BENCH_WORKER_ENV='K=V K=V'      extra environment for the worker only (default: the deployment's
//                                   allocator, jemalloc, when installed — infra/allocator.ts; '' for glibc's)
//   BENCH_MEMORY_LOG_MS=N           the worker samples its memory every N ms (default 1000; 0: off) and the
//                                   BENCH line carries each part's peak (worker/memory-log.ts)
//   BENCH_RUNTIME=dist | tsx        dist (default): the compiled processes a deployment runs (`npm run
//                                   build` first, the worker on a prebuilt workflow bundle, as in the
//                                   Dockerfile); tsx: from sources, as `npm start` runs them (tsx's
//                                   loader adds ~50 MB to every process)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { peaksOf, type MemorySample } from '../../worker/memory-log';
import { createApiKey } from '../../api/auth/api-key-store';
import { projectRoot } from '../../config';
import { createDb } from '../../db/client';
import { heapLimitArgs } from '../../infra/heap-limits';
import { workerAllocatorEnv } from '../../infra/allocator';
import { startTemporalDevServer } from '../../infra/temporal-server';
import { benchLine, percentile, perSecond, ratio } from './figures';
import {
  ACTIVATION_REWARD,
  BATCH,
  CONCURRENT_BATCHES,
  INCENTIVE,
  campaignHistoryEvents,
  startedCohorts,
  createBenchCampaign,
  ingestFunnel,
  seedBenchChannels,
  waitForUrl,
} from './funnel-run';
import { Alternation } from './alternation';
import { CpuAccounting } from './cpu-accounting';
import { rawIngest } from './raw-ingest';
import { createScratchDatabase, freePort, peakMemoryMb } from './setup';

const TOTAL = Number(process.env.REGISTRATIONS ?? 100_000);
/** Batches in flight, on each side alike (the API path's lanes each send a batch and then its events). */
const LANES = Number(process.env.BENCH_CONCURRENCY ?? CONCURRENT_BATCHES);
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF;
const RUNTIME = process.env.BENCH_RUNTIME === 'tsx' ? 'tsx' : 'dist';
const MEMORY_LOG_MS = Number(process.env.BENCH_MEMORY_LOG_MS ?? 1000);
/** Batches per turn of the API path and of the same-conditions raw baseline (10 turns each at 100,000). */
const RAW_TURN_BATCHES = 10;

/** In dist mode: compiles, and builds the worker's workflow bundle ahead, as a deployment does. */
function prepareRuntime(): NodeJS.ProcessEnv {
  if (RUNTIME === 'tsx') return {};
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
  const bundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-workflows-')), 'bundle.js');
  execFileSync(process.execPath, [path.join(projectRoot, 'dist/worker/build-workflow-bundle.js'), bundle], {
    stdio: 'inherit',
  });
  return { WORKFLOW_BUNDLE_PATH: bundle };
}

function child(entry: string, env: NodeJS.ProcessEnv, extra: string[] = []): ChildProcess {
  // `node --import tsx` keeps the measured process the real one (no tsx wrapper process).
  // One directory per process: every thread of it (tsx's loader thread too) writes a profile of its own.
  const name = entry.replace(/\/main\.ts$/, '');
  const profile = CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.join(CPU_PROFILE_DIR, name)}`] : [];
  const program =
    RUNTIME === 'tsx'
      ? ['--import', 'tsx', path.join(projectRoot, entry)]
      : [path.join(projectRoot, 'dist', entry.replace(/\.ts$/, '.js'))];
  const spawned = spawn(process.execPath, [...profile, ...extra, ...program], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  onFailure.push(() => void spawned.kill('SIGTERM'));
  return spawned;
}

/**
 * What a failed run must stop, newest first: its processes, the Temporal server, the scratch database. A
 * run that failed half-way once left its worker sending beside the next run (2026-12-04).
 */
const onFailure: (() => Promise<void> | void)[] = [];

async function main() {
  const runtimeEnv = prepareRuntime();
  const scratch = await createScratchDatabase('bench_funnel');
  // Dropped last, once the killed processes have let go of their connections.
  onFailure.push(async () => {
    await new Promise((r) => setTimeout(r, 3000));
    await scratch.drop();
  });
  const databaseUrl = scratch.url;
  const temporal = await startTemporalDevServer({
    port: await freePort(),
    namespace: 'default',
    headless: true,
    log: () => undefined,
  });
  onFailure.push(() => temporal.stop());
  const [apiPort, simPort] = [await freePort(), await freePort()];
  const env = {
    DATABASE_URL: withApplicationName(databaseUrl, 'bench-api'),
    TEMPORAL_ADDRESS: temporal.address,
    TASK_QUEUE: 'bench-funnel',
    API_PORT: String(apiPort),
    SIMULATOR_PORT: String(simPort),
    SIMULATOR_URL: `http://127.0.0.1:${simPort}`,
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_INGEST_PER_MINUTE: '1000000',
    WORKER_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
    ...runtimeEnv,
  };
  const simulator = child('simulator/main.ts', env);
  const args = (given: string | undefined, fallback: string[]) =>
    given === undefined ? fallback : given.split(' ').filter(Boolean);
  const workerArgs = args(process.env.BENCH_WORKER_ARGS, heapLimitArgs('worker'));
  const apiArgs = args(process.env.BENCH_API_ARGS, heapLimitArgs('api'));
  // The worker's memory samples go to a file of their own (its stdout is not read).
  const memoryLogFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-memory-')), 'worker.jsonl');
  const memoryEnv =
    MEMORY_LOG_MS > 0 ? { MEMORY_LOG_MS: String(MEMORY_LOG_MS), MEMORY_LOG_FILE: memoryLogFile } : {};
  const workerEnv =
    process.env.BENCH_WORKER_ENV === undefined
      ? workerAllocatorEnv()
      : Object.fromEntries(
          args(process.env.BENCH_WORKER_ENV, []).map((pair) => [
            pair.slice(0, pair.indexOf('=')),
            pair.slice(pair.indexOf('=') + 1),
          ]),
        );
  const worker = child(
    'worker/main.ts',
    { ...env, DATABASE_URL: withApplicationName(databaseUrl, 'bench-worker'), ...memoryEnv, ...workerEnv },
    workerArgs,
  );
  const api = child('api/main.ts', env, apiArgs);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await Promise.all([waitForUrl(`${apiUrl}/healthz`), waitForUrl(`${env.SIMULATOR_URL}/_sim/stats`)]);

  const db = createDb(withApplicationName(databaseUrl, 'bench-script'), 4);
  const { key } = await createApiKey(db, { name: 'bench', role: 'admin', channelIds: [] }, 'bench');
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };
  const { material, version, channelIds } = await seedBenchChannels(db);

  // The raw baseline first, in the same (still quiet) database, into a campaign row of its own that no
  // workflow and no lookup of the API path sees (its customers' refs are distinct too).
  const rawCampaign = await db.campaign.create({
    data: {
      name: 'bench raw baseline',
      status: 'completed',
      plan: {},
      currency: 'CNY',
      workflowId: 'bench-raw',
      workflowStartedAt: new Date(),
      createdBy: 'bench',
    },
  });
  // Both raw baselines write the API path's rows; only their campaign row and customers differ.
  const rawPlan = (campaignId: string, customerPrefix: string) => ({
    campaignId,
    channelIds,
    materialVersionId: version.id,
    total: TOTAL,
    batch: BATCH,
    concurrency: LANES,
    incentiveMinor: INCENTIVE,
    activationRewardMinor: ACTIVATION_REWARD,
    customerPrefix,
  });
  const rawMs = await rawIngest(databaseUrl, rawPlan(rawCampaign.id, 'raw'));
  const quietRawPerSecond = perSecond(TOTAL, rawMs);
  console.log(
    `raw baseline, quiet database (pg, INSERT … SELECT FROM unnest, batches of ${BATCH}, ${LANES} at a time): ${(rawMs / 1000).toFixed(1)} s → ${quietRawPerSecond} registrations/s`,
  );
  // The same-conditions raw baseline's own campaign row and customers, apart from the quiet one's.
  const loadedRawCampaign = await db.campaign.create({
    data: {
      name: 'bench raw baseline (during the ingest)',
      status: 'completed',
      plan: {},
      currency: 'CNY',
      workflowId: 'bench-raw-loaded',
      workflowStartedAt: new Date(),
      createdBy: 'bench',
    },
  });
  const id = await createBenchCampaign({
    apiUrl,
    headers,
    materialId: material.id,
    versionId: version.id,
    total: TOTAL,
  });

  // The campaign is published, so the worker has bundled the workflow code and run its first
  // activities: its peak so far is what it costs before any customer (issue 13, item 2).
  const workerStartMb = peakMemoryMb(worker.pid);
  const apiStartMb = peakMemoryMb(api.pid);

  // Ingest: batches of 1,000 through the API, a few at a time, taking turns with the raw baseline.
  const cpu = new CpuAccounting(() => ({ api: api.pid, worker: worker.pid, simulator: simulator.pid }));
  const turns = new Alternation(RAW_TURN_BATCHES, 'api', cpu);
  const [{ ingestMs: ingestWallMs, counts, batchMs, eventBatchMs, retries }] = await Promise.all([
    ingestFunnel({
      apiUrls: [apiUrl],
      headers,
      campaignId: id,
      total: TOTAL,
      gate: turns,
      concurrency: LANES,
    }),
    rawIngest(withApplicationName(databaseUrl, 'bench-raw'), rawPlan(loadedRawCampaign.id, 'rawload'), turns),
  ]);
  const ingestMs = turns.elapsedMs.api;
  const ingestSeconds = ingestMs / 1000;
  const ingestPerSecond = perSecond(TOTAL, ingestMs);
  const rawPerSecond = perSecond(TOTAL, turns.elapsedMs.raw);
  // CPU ms per 1,000 registrations by process, in each side's own turns (cpu-accounting.ts).
  const cpuApi = cpu.perThousand('api', TOTAL);
  const cpuRaw = cpu.perThousand('raw', TOTAL);
  // Whose statements PostgreSQL's CPU was spent on, while every pool still holds its connections.
  const backends = await db.$queryRaw<{ pid: number; app: string }[]>`
    SELECT pid, application_name AS app FROM pg_stat_activity WHERE datname = current_database()`;
  const appOf = new Map(backends.map((b) => [Number(b.pid), b.app]));
  const postgresApi = cpu.postgresByApplication('api', appOf, TOTAL);
  const postgresRaw = cpu.postgresByApplication('raw', appOf, TOTAL);
  const lastRegistration = Date.now();

  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const handle = client.workflow.getHandle(`campaign-${id}`);
  const result = (await handle.result()) as { phase: string; cohorts: { key: string; status: string }[] };
  const wallSeconds = (Date.now() - lastRegistration) / 1000;

  const historyEvents = await campaignHistoryEvents(client, id, result.cohorts);
  const stats = (await (await fetch(`${env.SIMULATOR_URL}/_sim/stats`)).json()) as {
    totals: { messagesDelivered: number; duplicateMessages: number };
  };
  const messages = await db.message.count({ where: { campaignId: id } });
  const workerMb = peakMemoryMb(worker.pid);
  const apiMb = peakMemoryMb(api.pid);
  const memory = workerMemory(memoryLogFile);
  // Before the scratch database is dropped (issue 13, item 5: the run records the database's size).
  const sizeRows = await db.$queryRaw<{ bytes: bigint }[]>`
    SELECT pg_database_size(current_database()) AS bytes`;
  const size = sizeRows[0];
  const databaseMb = Math.round(Number(size?.bytes ?? 0) / 1_048_576);

  console.log(
    `campaign of ${TOTAL.toLocaleString('en')} registrations, 3-step plan over a 60 s new-customer period (${result.phase})`,
  );
  console.log(
    `  ingest: ${ingestSeconds.toFixed(1)} s of the API's turns (${(ingestWallMs / 1000).toFixed(1)} s with the raw baseline's) → ${ingestPerSecond} registrations/s (plus ${TOTAL / 4} events); outcomes ${JSON.stringify(counts)}`,
  );
  console.log(
    `  raw baseline in turns with it ${rawPerSecond} registrations/s; API path ÷ raw = ${ratio(ingestPerSecond, rawPerSecond)}; ` +
      `quiet raw ${quietRawPerSecond} registrations/s, API path ÷ quiet raw = ${ratio(ingestPerSecond, quietRawPerSecond)}; ` +
      `registration batch round trip p50 ${percentile(batchMs, 50).toFixed(0)} ms, p90 ${percentile(batchMs, 90).toFixed(0)} ms; ` +
      `event batch (${BATCH / 4}) p50 ${percentile(eventBatchMs, 50).toFixed(0)} ms, p90 ${percentile(eventBatchMs, 90).toFixed(0)} ms`,
  );
  console.log(
    `  wall time from the last registration to the end of the campaign (evaluation stored): ${wallSeconds.toFixed(1)} s`,
  );
  console.log(
    `  messages delivered: ${messages} (simulator: ${stats.totals.messagesDelivered}, duplicates ${stats.totals.duplicateMessages})`,
  );
  console.log(
    `  Temporal history events in total: ${historyEvents} over ${startedCohorts(result.cohorts).length} cohorts started (of ${result.cohorts.length} in the window) × 3 steps + 1 campaign workflow`,
  );
  console.log(
    `  peak memory (VmHWM): worker ${workerMb} MB, API ${apiMb} MB (before the first registration: worker ${workerStartMb} MB, API ${apiStartMb} MB)`,
  );

  if (memory) {
    console.log(
      `  worker memory, peak of each part (MB, sampled every ${MEMORY_LOG_MS} ms): ${JSON.stringify(memory.peaks)}`,
    );
    console.log(
      `  worker memory at its highest sampled RSS: ${JSON.stringify(memory.atPeakRss)} (samples: ${memoryLogFile})`,
    );
  }
  console.log(`  CPU ms per 1,000 registrations in the API path's turns: ${JSON.stringify(cpuApi)}`);
  console.log(`  CPU ms per 1,000 registrations in the raw baseline's turns: ${JSON.stringify(cpuRaw)}`);
  console.log(`  … PostgreSQL's part by whose statements, API path's turns: ${JSON.stringify(postgresApi)}`);
  console.log(
    `  … PostgreSQL's part by whose statements, raw baseline's turns: ${JSON.stringify(postgresRaw)}`,
  );
  console.log(`  database size: ${databaseMb} MB (pg_database_size, before the scratch database is dropped)`);

  for (const p of [api, worker, simulator]) p.kill('SIGTERM');
  await Promise.allSettled([connection.close(), db.$disconnect(), temporal.stop()]);
  await new Promise((r) => setTimeout(r, 2000));
  await scratch.drop();
  // The last line, machine-readable, so that one run can be compared with the next.
  console.log(
    benchLine({
      bench: 'funnel',
      registrations: TOTAL,
      concurrency: LANES,
      runtime: RUNTIME,
      workerArgs: workerArgs.join(' '),
      apiArgs: apiArgs.join(' '),
      workerEnv: Object.entries(workerEnv)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
      ingestPerSecond,
      rawPerSecond,
      ingestVsRaw: ratio(ingestPerSecond, rawPerSecond),
      quietRawPerSecond,
      ingestVsQuietRaw: ratio(ingestPerSecond, quietRawPerSecond),
      batchP50Ms: Math.round(percentile(batchMs, 50)),
      batchP90Ms: Math.round(percentile(batchMs, 90)),
      eventBatchP50Ms: Math.round(percentile(eventBatchMs, 50)),
      batchRetries: retries,
      tailSeconds: Number(wallSeconds.toFixed(1)),
      messages,
      duplicates: stats.totals.duplicateMessages,
      historyEvents,
      cohortsStarted: startedCohorts(result.cohorts).length,
      cohortsInWindow: result.cohorts.length,
      workerPeakRssMb: workerMb,
      apiPeakRssMb: apiMb,
      workerStartRssMb: workerStartMb,
      apiStartRssMb: apiStartMb,
      databaseMb,
      cpuMsPer1000Api: cpuFigures(cpuApi),
      cpuMsPer1000Raw: cpuFigures(cpuRaw),
      postgresMsPer1000Api: cpuFigures(postgresApi),
      postgresMsPer1000Raw: cpuFigures(postgresRaw),
      ...(memory ? memoryFigures(memory) : {}),
    }),
  );
}

/** The URL with `application_name` set, so that pg_stat_activity says whose each backend is. */
function withApplicationName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}

/** One BENCH field: the parts' CPU ms per 1,000 registrations, `part ms` pairs in one string. */
function cpuFigures(parts: Record<string, number>): string {
  return Object.entries(parts)
    .map(([part, ms]) => `${part} ${ms}`)
    .join(' ');
}

/** The worker's samples: each part's peak, and the parts at the sample with the highest RSS. */
function workerMemory(file: string): { peaks: Record<string, number>; atPeakRss: MemorySample } | undefined {
  if (!fs.existsSync(file)) return undefined;
  const samples = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as MemorySample);
  if (samples.length === 0) return undefined;
  const atPeakRss = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
  return { peaks: peaksOf(samples), atPeakRss };
}

/** Flat BENCH fields: the peak of each part, and the parts at the highest sampled RSS in one string. */
function memoryFigures(
  memory: NonNullable<ReturnType<typeof workerMemory>>,
): Record<string, number | string> {
  const p = memory.peaks;
  const a = memory.atPeakRss;
  return {
    workerPeakHeapTotalMb: p.heapTotal ?? 0,
    workerPeakHeapUsedMb: p.heapUsed ?? 0,
    workerPeakNewSpaceMb: p.newSpace ?? 0,
    workerPeakExternalMb: p.external ?? 0,
    workerPeakArrayBuffersMb: p.arrayBuffers ?? 0,
    workerPeakNativeMb: p.native ?? 0,
    workerPeakV8PagesMb: p.v8Pages ?? 0,
    workerPeakMallocMb: p.malloc ?? 0,
    workerPeakActivities: p.activities ?? 0,
    workerPeakCachedWorkflows: p.cachedWorkflows ?? 0,
    workerAtPeakRss:
      `rss ${a.rss} heapTotal ${a.heapTotal} heapUsed ${a.heapUsed} external ${a.external} ` +
      `native ${a.native} v8Pages ${a.v8Pages ?? 0} malloc ${a.malloc ?? 0} files ${a.files ?? 0} ` +
      `otherAnon ${a.otherAnon ?? 0} activities ${a.activities ?? 0} cachedWorkflows ${a.cachedWorkflows ?? 0}`,
  };
}

main().catch(async (err: unknown) => {
  console.error(err);
  for (const stop of onFailure.reverse()) await Promise.resolve(stop()).catch(() => undefined);
  process.exit(1);
});
