// Benchmark (not a test): the funnel benchmark's campaign on the topology a bank deploys — a real
// Temporal server (infra/temporal-cluster.ts: the server binary, PostgreSQL persistence and
// visibility, 4 history shards) instead of the dev server, TWO workers on one task queue and TWO API
// processes, the registration traffic split across both APIs (batch b → API b mod 2, as a round-robin
// load balancer sends it). Then the proof that nothing was lost or duplicated across processes:
// what the clients were told was stored against SQL counts, the messages the plan calls for (from the
// stored registrations) against the Message rows and the simulator's delivery counts, and the
// simulator's duplicate count (a message id delivered twice).
//   npm run bench:cluster           (REGISTRATIONS=30000 by default)
//   CLUSTER_WORKERS=2 CLUSTER_APIS=2 HISTORY_SHARDS=4    the topology's sizes
//   CLUSTER_IN_FLIGHT=4             registration batches in flight in all (default 2 per API)
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { createApiKey } from '../../api/auth/api-key-store';
import { createDb } from '../../db/client';
import { dropClusterDatabases, freeClusterPorts, startTemporalCluster } from '../../infra/temporal-cluster';
import { benchLine, percentile, perSecond } from './figures';
import {
  benchChild,
  accountMessages,
  campaignHistoryEvents,
  createBenchCampaign,
  ingestFunnel,
  seedBenchChannels,
  waitForUrl,
  withheldTotal,
} from './funnel-run';
import { BENCH_PG_ADMIN_URL, createScratchDatabase, freePort, peakMemoryMb } from './setup';

const TOTAL = Number(process.env.REGISTRATIONS ?? 30_000);
const WORKERS = Number(process.env.CLUSTER_WORKERS ?? 2);
const APIS = Number(process.env.CLUSTER_APIS ?? 2);
const SHARDS = Number(process.env.HISTORY_SHARDS ?? 4);
/** Batches in flight in all: by default one pair per API, the load bench:funnel puts on its one API. */
const IN_FLIGHT = Number(process.env.CLUSTER_IN_FLIGHT ?? 2 * APIS);

// Whatever happens, no process of this run outlives it (a failed run would otherwise leave a server,
// two workers and two APIs running).
const started: { kill(signal: NodeJS.Signals): unknown }[] = [];
process.on('exit', () => {
  for (const p of started) p.kill('SIGKILL');
});
/** Scratch databases to drop if the run fails half-way. */
const dropOnFailure: (() => Promise<unknown>)[] = [];

/** Workflow tasks and activities a worker ran, from its Prometheus endpoint (proof that both worked). */
async function workerTaskCounts(metricsUrl: string): Promise<{ workflowTasks: number; activities: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const sum = (pattern: RegExp) =>
    text
      .split('\n')
      .filter((line) => pattern.test(line))
      .reduce((total, line) => total + Number(line.trim().split(/\s+/).pop()), 0);
  return {
    workflowTasks: sum(/^temporal_workflow_task_execution_latency\w*_count\b/),
    activities: sum(/^temporal_activity_execution_latency\w*_count\b/),
  };
}

async function main() {
  const scratch = await createScratchDatabase('bench_cluster');
  dropOnFailure.push(() => scratch.drop());
  const admin = new URL(BENCH_PG_ADMIN_URL);
  const stamp = `${Date.now()}_${process.pid}`;
  const clusterDb = {
    host: admin.hostname,
    port: Number(admin.port || 5432),
    user: decodeURIComponent(admin.username) || 'postgres',
    password: decodeURIComponent(admin.password),
    database: `bench_cluster_temporal_${stamp}`,
    visibilityDatabase: `bench_cluster_visibility_${stamp}`,
  };
  dropOnFailure.push(() => dropClusterDatabases(clusterDb));
  const ports = await freeClusterPorts();
  const clusterStarted = Date.now();
  // Few connections per service: this PostgreSQL is shared (max_connections 100) with the app's
  // processes, and on a 2-core machine more connections only queue.
  const temporal = await startTemporalCluster({
    db: clusterDb,
    ports,
    numHistoryShards: SHARDS,
    maxConns: 5,
    namespace: 'default',
    log: (line) => console.log(line),
  });
  const clusterStartSeconds = (Date.now() - clusterStarted) / 1000;
  if (temporal.pid) started.push({ kill: (signal) => process.kill(temporal.pid as number, signal) });

  const simPort = await freePort();
  const base = {
    DATABASE_URL: scratch.url,
    TEMPORAL_ADDRESS: temporal.address,
    TASK_QUEUE: 'bench-cluster',
    SIMULATOR_PORT: String(simPort),
    SIMULATOR_URL: `http://127.0.0.1:${simPort}`,
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_INGEST_PER_MINUTE: '1000000',
    DB_POOL_SIZE: '6',
  };
  const simulator = benchChild('simulator/main.ts', base);
  started.push(simulator);
  const workers = [];
  for (let i = 0; i < WORKERS; i++) {
    const metrics = `127.0.0.1:${await freePort()}`;
    const proc = benchChild('worker/main.ts', { ...base, WORKER_METRICS_ADDRESS: metrics });
    workers.push({ proc, metricsUrl: `http://${metrics}/metrics` });
    started.push(proc);
  }
  const apis = [];
  for (let i = 0; i < APIS; i++) {
    const port = await freePort();
    const proc = benchChild('api/main.ts', { ...base, API_PORT: String(port) });
    apis.push({ proc, url: `http://127.0.0.1:${port}` });
    started.push(proc);
  }
  await Promise.all([
    ...apis.map((a) => waitForUrl(`${a.url}/healthz`)),
    waitForUrl(`${base.SIMULATOR_URL}/_sim/stats`),
  ]);

  const db = createDb(scratch.url, 4);
  const { key } = await createApiKey(db, { name: 'bench', role: 'admin', channelIds: [] }, 'bench');
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };
  const { material, version } = await seedBenchChannels(db);
  const id = await createBenchCampaign({
    apiUrl: (apis[0] as { url: string }).url,
    headers,
    materialId: material.id,
    versionId: version.id,
    total: TOTAL,
  });

  const ingest = await ingestFunnel({
    apiUrls: apis.map((a) => a.url),
    headers,
    campaignId: id,
    total: TOTAL,
    concurrency: IN_FLIGHT,
  });
  const ingestPerSecond = perSecond(TOTAL, ingest.ingestMs);
  const lastRegistration = Date.now();

  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const result = (await client.workflow.getHandle(`campaign-${id}`).result()) as {
    phase: string;
    cohorts: { key: string }[];
  };
  const tailSeconds = (Date.now() - lastRegistration) / 1000;
  const historyEvents = await campaignHistoryEvents(client, id, result.cohorts);

  // What the clients were told was stored, against what is stored.
  const toldStored = (ingest.counts.accepted ?? 0) + (ingest.counts.flagged ?? 0);
  const toldEvents = ingest.eventCounts.accepted ?? 0;
  const [regRow] = await db.$queryRaw<{ n: bigint; distinct_refs: bigint }[]>`
    SELECT count(*) AS n, count(DISTINCT "customerRef") AS distinct_refs FROM "Registration" WHERE "campaignId" = ${id}`;
  const [eventRow] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "CustomerEvent" WHERE "campaignId" = ${id}`;
  const account = await accountMessages(db, id);
  const withheld = withheldTotal(account);
  const stored = Number(regRow?.n ?? 0);
  const storedEvents = Number(eventRow?.n ?? 0);
  const messages = account.messages;
  const expectedMessages = account.planned - withheld;
  const stats = (await (await fetch(`${base.SIMULATOR_URL}/_sim/stats`)).json()) as {
    totals: { messagesDelivered: number; duplicateMessages: number };
  };
  const lost =
    Math.max(0, toldStored - stored) +
    Math.max(0, toldEvents - storedEvents) +
    Math.max(0, expectedMessages - messages) +
    Math.max(0, messages - stats.totals.messagesDelivered);
  const duplicates =
    stored -
    Number(regRow?.distinct_refs ?? 0) +
    (messages - account.distinctPairs) +
    stats.totals.duplicateMessages +
    Math.max(0, stats.totals.messagesDelivered - messages);

  const perWorker = await Promise.all(workers.map((w) => workerTaskCounts(w.metricsUrl)));
  const workerMb = workers.map((w) => peakMemoryMb(w.proc.pid));
  const apiMb = apis.map((a) => peakMemoryMb(a.proc.pid));
  const serverMb = peakMemoryMb(temporal.pid);

  console.log(
    `cluster run: Temporal server ${'v1.29.1'} on PostgreSQL (${SHARDS} history shards, up in ${clusterStartSeconds.toFixed(1)} s incl. schema), ${WORKERS} workers, ${APIS} APIs`,
  );
  console.log(
    `campaign of ${TOTAL.toLocaleString('en')} registrations, 3-step plan over a 60 s new-customer period (${result.phase})`,
  );
  console.log(
    `  ingest: ${(ingest.ingestMs / 1000).toFixed(1)} s → ${ingestPerSecond} registrations/s; batches per API ${JSON.stringify(ingest.batchesPerApi)}; ` +
      `registration batch p50 ${percentile(ingest.batchMs, 50).toFixed(0)} ms, p90 ${percentile(ingest.batchMs, 90).toFixed(0)} ms`,
  );
  console.log(
    `  outcomes told to the clients: registrations ${JSON.stringify(ingest.counts)}, events ${JSON.stringify(ingest.eventCounts)}`,
  );
  console.log(
    `  stored (SQL): registrations ${stored} (distinct customers ${regRow?.distinct_refs}), events ${storedEvents}`,
  );
  console.log(
    `  messages: the plan calls for ${account.planned}, the contact policy withheld ${withheld} ${JSON.stringify(account.withheld)}, ` +
      `stored ${messages} (distinct customer × step ${account.distinctPairs}), simulator delivered ${stats.totals.messagesDelivered}, simulator duplicates ${stats.totals.duplicateMessages}`,
  );
  console.log(`  lost ${lost}, duplicates ${duplicates}`);
  if (lost > 0) {
    // Where the missing messages are: by cohort and step, with when their registrations were dated and
    // written relative to the cohort's end (a registration written after the step read the cohort,
    // and not signalled as a late member, misses the step).
    const missing = await db.$queryRaw<Record<string, unknown>[]>`
      SELECT r."cohortKey" AS cohort, s.step, count(*)::int AS missing,
             round(extract(epoch FROM min(r."registeredAt" - c."endsAt"))::numeric, 2)::float AS "registeredVsEndMinS",
             round(extract(epoch FROM max(r."registeredAt" - c."endsAt"))::numeric, 2)::float AS "registeredVsEndMaxS",
             round(extract(epoch FROM min(r."createdAt" - c."endsAt"))::numeric, 2)::float AS "writtenVsEndMinS",
             round(extract(epoch FROM max(r."createdAt" - c."endsAt"))::numeric, 2)::float AS "writtenVsEndMaxS",
             c.steps -> s.step ->> 'finishedAt' AS "stepFinishedAt"
        FROM "Registration" r
        JOIN "Cohort" c ON c."campaignId" = r."campaignId" AND c."cohortKey" = r."cohortKey"
        CROSS JOIN (VALUES ('day-1'), ('day-3'), ('day-7')) AS s(step)
       WHERE r."campaignId" = ${id} AND r.arm = 'treatment' AND r."flagReason" IS NULL
         AND (s.step = 'day-1' OR r."activatedAt" IS NULL)
         AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."campaignId" = r."campaignId"
                           AND m."customerRef" = r."customerRef" AND m."stepId" = s.step)
       GROUP BY r."cohortKey", s.step, c."endsAt", c.steps
       ORDER BY 1, 2`;
    for (const row of missing) console.log(`    missing: ${JSON.stringify(row)}`);
  }
  console.log(`  wall time from the last registration to the stored evaluation: ${tailSeconds.toFixed(1)} s`);
  console.log(`  Temporal history events in total: ${historyEvents} over ${result.cohorts.length} cohorts`);
  perWorker.forEach((w, i) =>
    console.log(
      `  worker ${i + 1}: ${w.workflowTasks} workflow tasks, ${w.activities} activities, peak ${workerMb[i]} MB`,
    ),
  );
  console.log(`  APIs peak memory ${apiMb.join(' MB, ')} MB; Temporal server peak ${serverMb} MB`);

  for (const p of [...apis.map((a) => a.proc), ...workers.map((w) => w.proc), simulator]) p.kill('SIGTERM');
  await Promise.allSettled([connection.close(), db.$disconnect()]);
  await new Promise((r) => setTimeout(r, 2000));
  await temporal.stop();
  started.length = 0;
  await Promise.allSettled([scratch.drop(), dropClusterDatabases(clusterDb)]);
  fs.rmSync(temporal.rootDir, { recursive: true, force: true });
  console.log(
    benchLine({
      bench: 'cluster',
      registrations: TOTAL,
      workers: WORKERS,
      apis: APIS,
      historyShards: SHARDS,
      batchesInFlight: IN_FLIGHT,
      ingestPerSecond,
      lost,
      duplicates,
      stored,
      toldStored,
      events: storedEvents,
      messages,
      expectedMessages,
      withheld,
      simulatorDelivered: stats.totals.messagesDelivered,
      batchP50Ms: Math.round(percentile(ingest.batchMs, 50)),
      tailSeconds: Number(tailSeconds.toFixed(1)),
      historyEvents,
      workerTasks: perWorker.map((w) => `${w.workflowTasks}/${w.activities}`).join(' '),
      workerPeakRssMb: Math.max(...workerMb),
      apiPeakRssMb: Math.max(...apiMb),
      serverPeakRssMb: serverMb,
      clusterStartSeconds: Number(clusterStartSeconds.toFixed(1)),
    }),
  );
  if (lost > 0 || duplicates > 0) process.exitCode = 1;
}

main().catch(async (err: unknown) => {
  console.error(err);
  for (const p of started) p.kill('SIGKILL');
  started.length = 0;
  await new Promise((r) => setTimeout(r, 1000));
  await Promise.allSettled(dropOnFailure.map((drop) => drop()));
  process.exit(1);
});
