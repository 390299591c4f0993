// `npm run chaos`: the fault run of issue 14 as a harness anyone can rerun (docs/chaos.md). It sets up
// everything itself, isolated from the machine's shared services — its own PostgreSQL cluster and Temporal
// dev server in a temp dir, on free ports — runs the API, two workers and the channel simulator as separate
// processes, drives one live campaign with a bounded client that resends identical bytes after any failure,
// injects the faults (kill -9 of the API mid-batch, of a worker mid-step, of Temporal; PostgreSQL restarts),
// and then checks the invariants with SQL and the simulator's counters. Exits 1 if any fails; the last line
// is `BENCH {...}`. Ctrl-C stops every process it started and removes the temp dir.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { temporal as temporalProto } from '@temporalio/proto';
import pg from 'pg';
import { campaignBody, campaignPhase, createCampaign, seedRegistry } from '../chaos/campaign';
import { ChaosClient } from '../chaos/client';
import { chaosConfig } from '../chaos/config';
import { FaultInjector } from '../chaos/faults';
import { checkInvariants } from '../chaos/invariants';
import { observe } from '../chaos/observe';
import {
  freePort,
  makeTempDir,
  OwnPostgres,
  postgresBinDir,
  sleep,
  temporalService,
  tsxService,
  waitFor,
  waitForHttp,
  waitForTemporal,
  type Service,
} from '../chaos/processes';
import { renderReport, runPassed } from '../chaos/report';
import { resolveTemporalCli } from '../infra/temporal-cli';
import { migrateDeploy } from '../infra/migrate';

const started = Date.now();
const say = (line: string) =>
  console.log(`[chaos ${((Date.now() - started) / 1_000).toFixed(0).padStart(4)}s] ${line}`);

const NAMESPACE = 'default';
const TASK_QUEUE = 'campaigns';

async function main(): Promise<number> {
  const config = chaosConfig();
  const dir = makeTempDir();
  const services: Service[] = [];
  let postgres: OwnPostgres | null = null;
  let stopping = false;
  let unexpectedExits = 0;

  const cleanup = async () => {
    stopping = true;
    for (const s of [...services].reverse()) await s.stop().catch(() => undefined);
    await postgres?.stop();
    if (config.keep) say(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  };
  const interrupted = (signal: string) => {
    say(`${signal}: stopping everything`);
    void cleanup().then(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupted('SIGINT'));
  process.once('SIGTERM', () => interrupted('SIGTERM'));
  // Last resort if the run dies some other way: nothing it started outlives it.
  process.once('exit', () => {
    for (const s of services) s.killNow();
    if (postgres && fs.existsSync(path.join(dir, 'pg', 'postmaster.pid'))) {
      try {
        const bin = path.join(postgresBinDir(config.pgBin), 'pg_ctl');
        const args = ['-D', path.join(dir, 'pg'), '-m', 'immediate', 'stop'];
        if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args]);
        else execFileSync(bin, args);
      } catch {
        // already stopped
      }
    }
    if (!config.keep) fs.rmSync(dir, { recursive: true, force: true });
  });

  const onUnexpectedExit = (name: string, code: number | null, signal: string | null) => {
    if (stopping) return;
    unexpectedExits += 1;
    say(`${name} exited on its own (code ${code}, signal ${signal}): starting it again`);
    const service = services.find((s) => s.name === name);
    setTimeout(() => void service?.restart(), 1_000);
  };

  try {
    say(`temp dir ${dir}`);
    const [pgPort, temporalPort, apiPort, simulatorPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ] as [number, number, number, number];

    postgres = new OwnPostgres(postgresBinDir(config.pgBin), dir, pgPort);
    await postgres.start();
    say(`PostgreSQL cluster of its own on 127.0.0.1:${pgPort}`);
    await migrateDeploy(postgres.url, say);

    const cli = await resolveTemporalCli(config.temporalCli, say);
    if (!cli) throw new Error('no temporal CLI: run npm run temporal:install or set TEMPORAL_CLI_PATH');
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const temporal = temporalService(cli.path, temporalPort, dir, NAMESPACE, onUnexpectedExit);
    services.push(temporal);
    temporal.start();
    await waitForTemporal(temporalAddress, 90_000);
    say(`Temporal dev server on ${temporalAddress} (SQLite ${path.join(dir, 'temporal.db')})`);

    const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TASK_QUEUE,
      SIMULATOR_URL: simulatorUrl,
      SIMULATOR_PORT: String(simulatorPort),
      SIMULATOR_SEED: String(config.seed),
      API_PORT: String(apiPort),
      API_HOST: '127.0.0.1',
      DEMO: 'off',
      LOG_LEVEL: 'warn',
      DATA_DIR: dir,
      RATE_LIMIT_INGEST_PER_MINUTE: '100000',
      RATE_LIMIT_PER_MINUTE: '100000',
    };
    delete env.DEMO_CONSOLE_KEY;
    delete env.WORKER_METRICS_ADDRESS;
    const simulator = tsxService('simulator', 'simulator/main.ts', env, dir, onUnexpectedExit);
    // Each worker's metrics on a free port of its own: the default one may be taken on a shared machine.
    const workers: Service[] = [];
    for (const i of [1, 2]) {
      const workerEnv = { ...env, WORKER_METRICS_ADDRESS: `127.0.0.1:${await freePort()}` };
      workers.push(tsxService(`worker-${i}`, 'worker/main.ts', workerEnv, dir, onUnexpectedExit));
    }
    const api = tsxService('api', 'api/main.ts', env, dir, onUnexpectedExit);
    services.push(simulator, ...workers, api);
    for (const s of [simulator, ...workers, api]) s.start();
    await waitForHttp(`${simulatorUrl}/_sim/stats`, 90_000);
    await waitForHttp(`${apiUrl}/readyz`, 120_000);
    say(`API ${apiUrl}, workers ${workers.map((w) => w.pid).join(' and ')}, simulator ${simulatorUrl}`);

    await waitFor('both workers polling', () => workersPolling(temporalAddress, workers), 180_000, 1_000);
    const registry = await seedRegistry(postgres.url, config.seed);
    // Slower channel calls make a cohort step last seconds, so that a worker can be killed in the middle.
    const stepChannels = new Map<string, string>();
    const windowStart = Date.now() + 5_000;
    const body = campaignBody(config, registry, windowStart);
    for (const step of body.plan.engagementPlan.steps) stepChannels.set(step.id, step.channelCode);
    for (const code of new Set(stepChannels.values())) {
      await fetch(`${simulatorUrl}/_sim/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          channelCode: code,
          operations: ['deliver'],
          latencyMs: config.deliveryLatencyMs,
        }),
      });
    }
    const campaignId = await createCampaign(apiUrl, registry.adminKey, body);
    say(
      `campaign ${campaignId}: window ${config.windowMs / 1_000} s, cohorts ${config.cohortMs / 1_000} s, period ${config.periodMs / 1_000} s, 3 steps`,
    );
    await waitFor(
      'the campaign acquiring',
      async () => (await campaignPhase(apiUrl, registry.adminKey, campaignId)) === 'acquiring',
      120_000,
      500,
    );
    const t0 = Math.max(Date.now(), windowStart);
    const windowEnd = windowStart + config.windowMs;
    const campaignEnds = windowEnd + config.periodMs;
    say(`acquiring; ${config.rate}/s in batches of ${config.batch}; faults: ${config.faults.join(', ')}`);

    const client = new ChaosClient({
      apiUrl,
      apiKey: registry.ingestKey,
      campaignId,
      channelCodes: registry.channelCodes,
      currency: 'CNY',
      seed: config.seed,
      rate: config.rate,
      batch: config.batch,
      activationShare: config.activationShare,
      startAt: t0,
      windowEnd,
      giveUpAt: campaignEnds + 180_000,
      log: (line) => say(`client: ${line}`),
    });
    const clientDone = client.run();

    const db = new pg.Pool({ connectionString: postgres.url, max: 2 });
    db.on('error', () => undefined); // a restart cuts idle connections; the next query reconnects
    const injector = new FaultInjector({
      api,
      workers,
      temporal,
      postgres,
      client,
      temporalAddress,
      namespace: NAMESPACE,
      campaignId,
      cohortKeys: async () =>
        (
          await db.query<{ k: string }>(
            `SELECT DISTINCT "cohortKey" AS k FROM "Registration" WHERE "campaignId" = $1`,
            [campaignId],
          )
        ).rows.map((r) => r.k),
      t0,
      apiAnswers: async () =>
        (await campaignPhase(apiUrl, registry.adminKey, campaignId).catch(() => null)) !== null,
      recoveryTimeoutMs: 180_000,
      log: say,
    });
    // The faults spread from 20 s in to half-way through the last cohort's period: acquisition and steps.
    const first = 20_000;
    const span = Math.max(0, config.windowMs + config.periodMs / 2 - first);
    const spacing = config.faults.length > 1 ? span / config.faults.length : 0;
    for (const [i, kind] of config.faults.entries()) {
      const due = t0 + first + i * spacing;
      if (Date.now() < due) await sleep(due - Date.now());
      await injector.inject(kind);
      await sleep(config.faultGapMs);
    }

    const record = await clientDone;
    say(
      `client done: ${record.registrations.size} registrations and ${record.events.size} events accepted, ` +
        `${record.retries} retries, ${record.unanswered} unanswered`,
    );
    db.end().catch(() => undefined);

    say('waiting for the campaign to complete');
    const phase = await campaignResult(temporalAddress, campaignId, campaignEnds + 300_000);
    say(`campaign ${phase ?? 'did not finish'}`);
    const observed = await observe({
      databaseUrl: postgres.url,
      simulatorUrl,
      campaignId,
      channelCodes: registry.channelCodes,
      stepChannels,
      campaignPhase: phase,
      record,
    });
    const summary = checkInvariants(observed);
    if (record.unanswered > 0)
      summary.results.push({
        name: 'every batch answered',
        ok: false,
        value: record.unanswered,
        detail: 'items the client could not get answered before it gave up',
      });
    summary.ok = summary.results.every((r) => r.ok);
    const faults = injector.outcomes;
    const passed = runPassed(faults, summary);
    await cleanup();
    for (const line of renderReport(faults, summary, {
      registrationsAccepted: record.registrations.size,
      eventsAccepted: record.events.size,
      messages: observed.simulatorMessages.length,
      batches: record.batches,
      retries: record.retries,
      durationSeconds: (Date.now() - started) / 1_000,
      unexpectedExits,
    }))
      console.log(line);
    return passed ? 0 : 1;
  } catch (err) {
    say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    say(`logs are in ${dir} (kept)`);
    config.keep = true;
    await cleanup();
    return 1;
  }
}

/** True once every worker polls the task queue (its identity, pid@host, is among the pollers). */
async function workersPolling(address: string, workers: readonly Service[]): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: NAMESPACE,
      taskQueue: { name: TASK_QUEUE },
      taskQueueType: temporalProto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const identities = new Set((pollers ?? []).map((p) => p.identity));
    return workers.every((w) => identities.has(`${w.pid}@${os.hostname()}`));
  } finally {
    await connection.close();
  }
}

/** The campaign workflow's final phase, reconnecting as needed; null if it is not over by the deadline. */
async function campaignResult(address: string, campaignId: string, deadline: number): Promise<string | null> {
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 5_000 });
      try {
        const client = new Client({ connection, namespace: NAMESPACE });
        const result = (await Promise.race([
          client.workflow.getHandle(`campaign-${campaignId}`).result(),
          sleep(Math.max(1_000, deadline - Date.now())).then(() => null),
        ])) as { phase?: string } | null;
        return result?.phase ?? null;
      } finally {
        await connection.close();
      }
    } catch (err) {
      // The workflow ended other than by completing: that is its answer, not a reason to wait on.
      if (err instanceof WorkflowFailedError) return `failed (${err.cause?.message ?? err.message})`;
      say(`waiting for the campaign: ${String(err)}`);
      await sleep(2_000);
    }
  }
  return null;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
