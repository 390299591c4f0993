// The faults of a chaos run and how recovery from each is measured. Each fault is injected at a moment
// chosen to hurt: the API is killed while a batch is on the wire, a worker while it holds a running cohort
// step (found from the cohort workflow's pending activity and its worker identity, pid@host). Recovery is
// measured from the fault to the first sign that the system serves again, and the table says which:
// - while acquisition is open: the client's next batch answered with an accepted item (every fault);
// - the workflow answering a state query, which needs Temporal and a worker (Temporal kill);
// - after acquisition: the API answering GET /campaigns/:id with the workflow's state (PostgreSQL,
//   Temporal and a worker all serving);
// - for a worker killed mid-step: the step's activity completing or running again on another worker.
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { campaignStateQuery } from '../workflows/messages';
import type { ChaosClient } from './client';
import type { FaultKind } from './config';
import type { OwnPostgres, Service } from './processes';
import { sleep } from './processes';
import type { FaultOutcome } from './report';

export interface FaultDeps {
  api: Service;
  workers: readonly Service[];
  temporal: Service;
  postgres: OwnPostgres;
  client: ChaosClient;
  temporalAddress: string;
  namespace: string;
  campaignId: string;
  /** The cohort keys that have customers now (to find a running step). */
  cohortKeys: () => Promise<string[]>;
  /** Milliseconds since epoch the campaign started acquiring: fault times are relative to it. */
  t0: number;
  /** True when the API answers GET /campaigns/:id with the workflow's state (PostgreSQL, Temporal, a worker). */
  apiAnswers: () => Promise<boolean>;
  recoveryTimeoutMs: number;
  log: (line: string) => void;
}

const WORKER_RESTART_DELAY_MS = 3_000;
const API_RESTART_DELAY_MS = 1_000;
const TEMPORAL_RESTART_DELAY_MS = 1_000;

async function withTemporal<T>(address: string, namespace: string, use: (c: Client) => Promise<T>) {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    return await use(new Client({ connection, namespace }));
  } finally {
    await connection.close();
  }
}

/** True when the campaign workflow answers its state query (Temporal up and a worker serving). */
export async function workflowAnswers(deps: FaultDeps): Promise<boolean> {
  try {
    return await withTemporal(deps.temporalAddress, deps.namespace, async (client) => {
      const handle = client.workflow.getHandle(`campaign-${deps.campaignId}`);
      const state = await Promise.race([handle.query(campaignStateQuery), sleep(5_000).then(() => null)]);
      return state !== null;
    });
  } catch {
    return false;
  }
}

interface RunningStep {
  workflowId: string;
  activityId: string;
  identity: string;
}

/** A cohort step activity that some worker is running now, with that worker's identity. */
async function runningSteps(deps: FaultDeps): Promise<RunningStep[]> {
  const keys = await deps.cohortKeys();
  return withTemporal(deps.temporalAddress, deps.namespace, async (client) => {
    const found: RunningStep[] = [];
    for (const key of keys) {
      const workflowId = `campaign-${deps.campaignId}-cohort-${key}`;
      try {
        const d = await client.workflow.getHandle(workflowId).describe();
        for (const a of d.raw.pendingActivities ?? []) {
          // PENDING_ACTIVITY_STATE_STARTED = 2
          if (a.activityType?.name === 'runCohortStep' && a.state === 2 && a.lastWorkerIdentity)
            found.push({ workflowId, activityId: a.activityId ?? '', identity: a.lastWorkerIdentity });
        }
      } catch {
        // not started yet, or already closed
      }
    }
    return found;
  });
}

/** Done when the activity is no longer pending or is running again under another identity. */
async function stepResumed(deps: FaultDeps, step: RunningStep): Promise<boolean> {
  try {
    return await withTemporal(deps.temporalAddress, deps.namespace, async (client) => {
      const d = await client.workflow.getHandle(step.workflowId).describe();
      const a = (d.raw.pendingActivities ?? []).find((p) => p.activityId === step.activityId);
      return !a || (a.state === 2 && a.lastWorkerIdentity !== step.identity);
    });
  } catch {
    return false;
  }
}

async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  everyMs = 200,
): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return Date.now();
    await sleep(everyMs);
  }
  return null;
}

export class FaultInjector {
  readonly outcomes: FaultOutcome[] = [];

  constructor(private readonly deps: FaultDeps) {}

  async inject(kind: FaultKind): Promise<FaultOutcome> {
    const { deps } = this;
    const n = this.outcomes.length + 1;
    deps.log(`fault ${n}: ${kind}`);
    let context = '';
    let measuredTo: string[] = [];
    let waits: (() => Promise<boolean> | boolean)[] = [];
    let at = Date.now();
    const acquiring = !deps.client.acquisitionOver;
    // Batches sent from this instant on count as "accepted again": for a PostgreSQL restart, only once the
    // restart command returned, so that a batch slipping in before the shutdown took effect does not count.
    let sentFrom = 0;
    // If the window closes before a batch could be accepted again, the API answering stands in for it.
    const acceptedAgain = async () =>
      deps.client.firstAcceptedSince(sentFrom) !== null ||
      (deps.client.acquisitionOver && (await deps.apiAnswers()));
    const answers = () => workflowAnswers(deps);

    if (kind === 'api-kill') {
      // Mid-batch: wait (briefly) for a request to be on the wire.
      const caught = await until(() => deps.client.inFlight, 10_000, 2);
      context = caught ? 'mid-batch' : 'between batches';
      at = Date.now();
      await deps.api.kill9();
      await sleep(API_RESTART_DELAY_MS);
      await deps.api.restart();
    } else if (kind === 'worker-kill') {
      const deadline = Date.now() + 45_000;
      let step: RunningStep | undefined;
      let victim: Service | undefined;
      while (Date.now() < deadline && !victim) {
        const running = await runningSteps(deps).catch(() => []);
        for (const s of running) {
          victim = deps.workers.find((w) => w.running && s.identity === `${w.pid}@${os.hostname()}`);
          if (victim) {
            step = s;
            break;
          }
        }
        if (!victim) await sleep(300);
      }
      victim ??= deps.workers[0] as Service;
      context = step
        ? `${victim.name} running a step of ${step.workflowId.replace(`campaign-${deps.campaignId}-`, '')}`
        : `${victim.name}, no step in flight`;
      at = Date.now();
      await victim.kill9();
      const killed = victim;
      setTimeout(() => void killed.restart(), WORKER_RESTART_DELAY_MS);
      if (step) {
        const s = step;
        waits.push(() => stepResumed(deps, s));
        measuredTo.push('step resumed');
      }
    } else if (kind === 'temporal-kill') {
      context = 'dev server, SQLite kept';
      at = Date.now();
      await deps.temporal.kill9();
      await sleep(TEMPORAL_RESTART_DELAY_MS);
      await deps.temporal.restart();
      waits.push(answers);
      measuredTo.push('workflow answered');
    } else {
      const mode = kind === 'pg-restart-fast' ? 'fast' : 'immediate';
      context = `pg_ctl restart -m ${mode}`;
      at = Date.now();
      await deps.postgres.restart(mode);
      sentFrom = Date.now();
    }
    sentFrom ||= at;

    if (acquiring) {
      waits.push(acceptedAgain);
      measuredTo.push('next accepted batch');
    } else {
      // After acquisition no batch is sent: the API reading the campaign and its workflow state instead.
      waits.push(deps.apiAnswers);
      measuredTo.push('API answered');
    }
    // Every condition must have held once since the fault; each is awaited in turn from the fault's time.
    let recovered: number | null = at;
    for (const wait of waits) {
      const when = await until(wait, deps.recoveryTimeoutMs - (Date.now() - at));
      if (when === null) {
        recovered = null;
        break;
      }
      recovered = Math.max(recovered as number, when);
    }
    // The accepted batch is known by its answer time, which may precede the moment it was looked at.
    if (recovered !== null && acquiring) {
      const accepted = deps.client.firstAcceptedSince(sentFrom);
      if (accepted !== null && waits.length === 1) recovered = accepted;
    }
    const outcome: FaultOutcome = {
      n,
      kind,
      atSeconds: (at - deps.t0) / 1_000,
      context,
      recoverySeconds: recovered === null ? null : Math.round((recovered - at) / 100) / 10,
      measuredTo: measuredTo.join(' + '),
    };
    deps.log(
      `fault ${n} ${kind} (${context}): recovered in ${outcome.recoverySeconds ?? '—'} s (${outcome.measuredTo})`,
    );
    this.outcomes.push(outcome);
    measuredTo = [];
    waits = [];
    return outcome;
  }
}
