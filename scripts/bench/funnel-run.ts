// The funnel benchmark's moving parts, shared by bench:funnel (one API, one worker, the dev server) and
// bench:cluster (two of each on a real Temporal server): the processes, the bench channels and
// campaign, the ingest traffic (spread over any number of API processes) and the history count.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { projectRoot } from '../../config';
import type { Db } from '../../db/client';
import type { Gate } from './alternation';
import { seedApprovedMaterial } from './seed';

export const BATCH = 1000;
export const CONCURRENT_BATCHES = 2;
export const FEE = 100_000; // per placement, fen
export const INCENTIVE = 500; // per registration, fen
export const ACTIVATION_REWARD = 1000;
export const BENCH_CHANNEL_CODES = ['bench-app', 'bench-wechat', 'bench-partner'];

/**
 * One of the product's processes (`api/main.ts`, `worker/main.ts`, `simulator/main.ts`) as a child.
 * `node --import tsx` keeps the measured process the real one (no tsx wrapper process). With a CPU
 * profile directory, one directory per process: every thread of it (tsx's loader thread too) writes one.
 */
export function benchChild(
  entry: string,
  env: NodeJS.ProcessEnv,
  extra: string[] = [],
  cpuProfileDir?: string,
  name = entry.replace(/\/main\.ts$/, ''),
): ChildProcess {
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(cpuProfileDir, name)}`] : [];
  return spawn(process.execPath, [...profile, ...extra, '--import', 'tsx', path.join(projectRoot, entry)], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function waitForUrl(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

export type Post = (apiUrl: string, path: string, body: unknown) => Promise<Record<string, unknown>>;

/** At most this many tries of one request that the API answered as retryable. */
const MAX_TRIES = 20;

/**
 * A JSON POST as a real client sends it: an answer the API marks retryable (503 `ingest-busy` when a
 * batch waited too long for the campaign's lock, 409 `concurrent-write`, 429 — nothing of the batch
 * stored, the API says)
 * is sent again after its Retry-After (1 s without one, at most 30 s); anything else that is not 2xx
 * ends the run. `onRetry` counts the retries (the BENCH line's `batchRetries`): a rate measured with
 * them is the rate a client gets. Without this a 1,000,000-registration run died at 713,000 on one
 * retryable 409 under load (2026-12-03).
 */
export function poster(
  headers: Record<string, string>,
  onRetry: () => void = () => undefined,
  send: typeof fetch = fetch,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Post {
  return async (apiUrl, p, body) => {
    for (let attempt = 1; ; attempt++) {
      const res = await send(`${apiUrl}${p}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.ok) return res.json() as Promise<Record<string, unknown>>;
      const text = await res.text();
      if (attempt < MAX_TRIES && isRetryable(res.status, text)) {
        onRetry();
        const after = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 30) * 1000 : 1000);
        continue;
      }
      throw new Error(`POST ${p} → ${res.status}: ${text}`);
    }
  };
}

function isRetryable(status: number, text: string): boolean {
  if (status === 429 || status === 503) return true;
  if (status !== 409) return false;
  try {
    return (JSON.parse(text) as { retryable?: unknown }).retryable === true;
  } catch {
    return false;
  }
}

/** The three bench channels (simulator adapter, a fixed placement fee) and an approved material. */
export async function seedBenchChannels(db: Db) {
  await db.channel.createMany({
    data: BENCH_CHANNEL_CODES.map((code) => ({
      code,
      name: code,
      kind: 'financial_scenario' as const,
      department: 'bench',
      costModel: { type: 'fixed_per_placement', amountMinor: FEE, currency: 'CNY' },
      canDeliverMessages: true,
      adapter: { type: 'simulator' },
    })),
  });
  const { material, version } = await seedApprovedMaterial(db);
  const channelIds = (
    await db.channel.findMany({ where: { code: { in: BENCH_CHANNEL_CODES } }, select: { id: true } })
  ).map((c) => c.id);
  return { material, version, channelIds };
}

/**
 * Creates the bench campaign (3 steps over a 60 s new-customer period, 20 s cohorts) through the API
 * and waits until it is published: the budget counts the placement fees booked then.
 */
export async function createBenchCampaign(opts: {
  apiUrl: string;
  headers: Record<string, string>;
  materialId: string;
  versionId: string;
  total: number;
}): Promise<string> {
  const now = Date.now();
  // A window long enough for any ingest rate — bench:funnel's raw baseline takes turns inside it, and a
  // loaded machine has run 30,000 at under 100/s; the budget cap (3 placement fees + one incentive per
  // registration) closes acquisition right after the last registration, as a real campaign's would.
  const windowSeconds = Math.max(900, Math.ceil(opts.total / 50));
  const step = (id: string, offset: string, audience: string) => ({
    id,
    offset,
    kind: 'education',
    materialVersionId: opts.versionId,
    channelCode: BENCH_CHANNEL_CODES[0],
    audience,
    costPerMessageMinor: 5,
  });
  const campaign = await poster(opts.headers)(opts.apiUrl, '/campaigns', {
    name: `bench ${opts.total}`,
    channels: BENCH_CHANNEL_CODES,
    materialId: opts.materialId,
    plan: {
      registrationWindow: {
        start: new Date(now - 1000).toISOString(),
        end: new Date(now + windowSeconds * 1000).toISOString(),
      },
      newCustomerPeriod: 'PT60S',
      cohortGranularity: 'PT20S',
      sendingHours: { start: '00:00', end: '24:00' },
      controlGroupShare: 0.1,
      incentive: { perRegistrationMinor: INCENTIVE, perActivationMinor: ACTIVATION_REWARD },
      acquisitionBudgetMinor: BENCH_CHANNEL_CODES.length * FEE + opts.total * INCENTIVE,
      activationRule: { event: 'transaction', minAmountMinor: 10_000 },
      engagementPlan: {
        steps: [
          step('day-1', 'PT5S', 'treatment_all'),
          step('day-3', 'PT20S', 'not_activated'),
          step('day-7', 'PT40S', 'not_activated'),
        ],
      },
    },
  });
  const id = campaign.id as string;
  for (;;) {
    const res = await fetch(`${opts.apiUrl}/campaigns/${id}`, { headers: opts.headers });
    const body = (await res.json()) as { workflow?: { state?: { phase?: string } } };
    if (body.workflow?.state?.phase === 'acquiring') return id;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface IngestOutcome {
  ingestMs: number;
  /** Registration outcomes as the API reported them, summed over every batch. */
  counts: Record<string, number>;
  /** Event outcomes as the API reported them. */
  eventCounts: Record<string, number>;
  batchMs: number[];
  eventBatchMs: number[];
  /** Registration batches sent to each API (same order as apiUrls). */
  batchesPerApi: number[];
  /** Requests sent again because the API answered them as retryable (nothing of them stored). */
  retries: number;
}

/**
 * The funnel traffic: `total` registrations in batches of 1,000, a few batches at a time, each batch
 * followed by its transactions (a quarter of the customers activate). Batch b goes to API b mod n, as a
 * round-robin load balancer would send it.
 */
export async function ingestFunnel(opts: {
  apiUrls: string[];
  headers: Record<string, string>;
  campaignId: string;
  total: number;
  concurrency?: number;
  /** Customers are `<prefix>-<n>`: distinct prefixes keep two campaigns' customers apart. */
  customerPrefix?: string;
  /** Takes turns with another writer (alternation.ts): each batch, with its events, waits for the API's. */
  gate?: Gate;
}): Promise<IngestOutcome> {
  const prefix = opts.customerPrefix ?? 'cust';
  const post = poster(opts.headers, () => outcome.retries++);
  const { apiUrls, campaignId: id, total } = opts;
  const started = Date.now();
  let next = 0;
  const outcome: IngestOutcome = {
    ingestMs: 0,
    counts: {},
    eventCounts: {},
    batchMs: [],
    eventBatchMs: [],
    batchesPerApi: apiUrls.map(() => 0),
    retries: 0,
  };
  const add = (into: Record<string, number>, summary: Record<string, number>) => {
    for (const [status, n] of Object.entries(summary)) into[status] = (into[status] ?? 0) + n;
  };
  const ingest = async () => {
    for (let b = next++; b * BATCH < total; b = next++) {
      await opts.gate?.enter('api');
      try {
        const api = b % apiUrls.length;
        const apiUrl = apiUrls[api] as string;
        outcome.batchesPerApi[api] = (outcome.batchesPerApi[api] ?? 0) + 1;
        const items = Array.from({ length: Math.min(BATCH, total - b * BATCH) }, (_, i) => ({
          customerRef: `${prefix}-${b * BATCH + i}`,
          channelCode: BENCH_CHANNEL_CODES[(b * BATCH + i) % 3],
          registeredAt: new Date().toISOString(),
        }));
        const sent = performance.now();
        const result = (await post(apiUrl, `/campaigns/${id}/registrations`, { items })) as {
          summary: Record<string, number>;
        };
        outcome.batchMs.push(performance.now() - sent);
        add(outcome.counts, result.summary);
        const events = items
          .filter((_, i) => i % 4 === 0)
          .map((it) => ({
            eventId: `${it.customerRef}-tx`,
            customerRef: it.customerRef,
            type: 'transaction',
            amountMinor: 20_000,
            revenueMinor: 200,
            currency: 'CNY',
            occurredAt: new Date().toISOString(),
          }));
        const eventsSent = performance.now();
        const eventResult = (await post(apiUrl, `/campaigns/${id}/events`, { items: events })) as {
          summary?: Record<string, number>;
        };
        outcome.eventBatchMs.push(performance.now() - eventsSent);
        if (eventResult.summary) add(outcome.eventCounts, eventResult.summary);
      } finally {
        opts.gate?.leave('api');
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? CONCURRENT_BATCHES }, ingest)).finally(() =>
    opts.gate?.finish('api'),
  );
  outcome.ingestMs = Date.now() - started;
  return outcome;
}

/** History events of the campaign workflow and every cohort child it ran (a `skipped` cohort has none). */
export async function campaignHistoryEvents(
  client: Client,
  campaignId: string,
  cohorts: readonly { key: string; status?: string }[],
): Promise<number> {
  let events = (await client.workflow.getHandle(`campaign-${campaignId}`).describe()).historyLength;
  for (const c of startedCohorts(cohorts))
    events += (await client.workflow.getHandle(`campaign-${campaignId}-cohort-${c.key}`).describe())
      .historyLength;
  return events;
}

/** The cohorts whose workflow was started: all but those the campaign skipped after an early close. */
export function startedCohorts<C extends { status?: string }>(cohorts: readonly C[]): C[] {
  return cohorts.filter((c) => c.status !== 'skipped');
}

export interface MessageAccount {
  /** What the plan calls for, from the stored registrations. */
  planned: number;
  /** Held back by the contact policy (ContactDecision rows other than `reserved`), by reason. */
  withheld: Record<string, number>;
  /** Message rows stored, and how many distinct customer × step pairs they cover. */
  messages: number;
  distinctPairs: number;
}

/**
 * The bench plan's messages, accounted for from SQL: day-1 to every valid treatment customer, day-3 and
 * day-7 to those of them not activated (their transaction arrives right after their registration, long
 * before those steps are due), less what the contact policy withheld. planned − withheld − messages is
 * what was lost; messages − distinctPairs what was sent twice.
 */
export async function accountMessages(db: Db, campaignId: string): Promise<MessageAccount> {
  const [plan] = await db.$queryRaw<{ treatment: bigint; not_activated: bigint }[]>`
    SELECT count(*) AS treatment, count(*) FILTER (WHERE "activatedAt" IS NULL) AS not_activated
      FROM "Registration" WHERE "campaignId" = ${campaignId} AND arm = 'treatment' AND "flagReason" IS NULL`;
  const [stored] = await db.$queryRaw<{ n: bigint; distinct_pairs: bigint }[]>`
    SELECT count(*) AS n, count(DISTINCT ("customerRef", "stepId")) AS distinct_pairs
      FROM "Message" WHERE "campaignId" = ${campaignId}`;
  const decisions = await db.contactDecision.groupBy({
    by: ['outcome'],
    where: { campaignId, outcome: { not: 'reserved' } },
    _count: { _all: true },
  });
  return {
    planned: Number(plan?.treatment ?? 0) + 2 * Number(plan?.not_activated ?? 0),
    withheld: Object.fromEntries(decisions.map((d) => [d.outcome, d._count._all])),
    messages: Number(stored?.n ?? 0),
    distinctPairs: Number(stored?.distinct_pairs ?? 0),
  };
}

export const withheldTotal = (account: MessageAccount) =>
  Object.values(account.withheld).reduce((a, b) => a + b, 0);
