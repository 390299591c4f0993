// Reads what the invariants are checked against once the campaign is over: rows in the run's own
// PostgreSQL, the simulator's stored messages, placements and counters, and the stored evaluation beside
// a SQL recount of the same figures from the raw facts (registrations and the cost ledger), written here
// independently of evaluation/sql.ts so that a mistake there cannot hide itself.
import pg from 'pg';
import type { ClientRecord } from './client';
import type { Observed } from './invariants';

export interface ObserveInput {
  databaseUrl: string;
  simulatorUrl: string;
  campaignId: string;
  channelCodes: readonly string[];
  stepChannels: ReadonlyMap<string, string>;
  campaignPhase: string | null;
  record: ClientRecord;
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return (await res.json()) as T;
}

const countMap = (rows: { key: string; n: string | number }[]) =>
  new Map(rows.map((r) => [r.key, Number(r.n)] as const));

export async function observe(input: ObserveInput): Promise<Observed & { recount: Record<string, string> }> {
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect();
  try {
    const id = input.campaignId;
    const q = async <T extends object>(sql: string): Promise<T[]> => (await client.query<T>(sql, [id])).rows;

    const registrations = await q<{ key: string; n: string }>(
      `SELECT "customerRef" AS key, count(*) AS n FROM "Registration" WHERE "campaignId" = $1 GROUP BY 1`,
    );
    const events = await q<{ key: string; n: string }>(
      `SELECT "eventId" AS key, count(*) AS n FROM "CustomerEvent" WHERE "campaignId" = $1 GROUP BY 1`,
    );
    const eligible = await q<{ customerRef: string }>(
      `SELECT "customerRef" FROM "Registration"
        WHERE "campaignId" = $1 AND "flagReason" IS NULL AND arm = 'treatment'`,
    );
    const messageRows = await q<{ stepId: string; customerRef: string; n: string }>(
      `SELECT "stepId", "customerRef", count(*) AS n FROM "Message" WHERE "campaignId" = $1 GROUP BY 1, 2`,
    );
    const messages = messageRows.map((r) => ({ key: `${r.stepId}\u0000${r.customerRef}`, n: r.n }));

    // Registrations stored after a step had begun sending to their cohort: such a member never gets it.
    const late = await q<{ stepId: string; customerRef: string }>(
      `SELECT s."stepId", r."customerRef"
         FROM (SELECT "cohortKey", "stepId", min("createdAt") AS first FROM "Message"
                WHERE "campaignId" = $1 GROUP BY 1, 2) s
         JOIN "Registration" r ON r."campaignId" = $1 AND r."cohortKey" = s."cohortKey"
        WHERE r."createdAt" > s.first`,
    );
    const storedAfterStep = new Set(late.map((r) => `${r.stepId}\u0000${r.customerRef}`));

    // The simulator: every message of the campaign on each step's channel, and the counters.
    const simulatorMessages: { stepId: string; customerRef: string }[] = [];
    for (const code of new Set(input.stepChannels.values())) {
      const body = await json<{ messages: { stepId: string; customerRef: string }[] }>(
        `${input.simulatorUrl}/_sim/channels/${encodeURIComponent(code)}/messages?campaignId=${encodeURIComponent(id)}&limit=100000`,
      );
      simulatorMessages.push(...body.messages.map(({ stepId, customerRef }) => ({ stepId, customerRef })));
    }
    let duplicateMessages = 0;
    let duplicatePlacements = 0;
    let livePlacementsLeft = 0;
    for (const code of input.channelCodes) {
      const stats = await json<{ duplicateMessages: number; duplicatePlacements: number }>(
        `${input.simulatorUrl}/_sim/channels/${encodeURIComponent(code)}/stats`,
      );
      duplicateMessages += stats.duplicateMessages;
      duplicatePlacements += stats.duplicatePlacements;
      const { placements } = await json<{ placements: { campaignId?: string; status: string }[] }>(
        `${input.simulatorUrl}/_sim/channels/${encodeURIComponent(code)}/placements`,
      );
      livePlacementsLeft += placements.filter(
        (p) => p.status === 'live' && (p.campaignId === undefined || p.campaignId === id),
      ).length;
    }

    const recount = await sqlRecount(client, id);
    const stored = await storedEvaluation(client, id);
    const evaluationVsRecount = new Map<string, readonly [string | null, string]>();
    if (stored) {
      for (const [name, value] of Object.entries(recount))
        evaluationVsRecount.set(name, [stored[name] ?? null, value]);
      // And against the client's own record: the revenue of every event it got accepted.
      let clientRevenue = 0n;
      for (const e of input.record.events.values()) clientRevenue += BigInt(e.revenueMinor);
      evaluationVsRecount.set("revenue vs the client's accepted events", [
        stored.revenueMinor ?? null,
        clientRevenue.toString(),
      ]);
    }

    return {
      acceptedRegistrations: [...input.record.registrations.keys()],
      storedRegistrations: countMap(registrations),
      acceptedEvents: [...input.record.events.keys()],
      storedEvents: countMap(events),
      steps: [...input.stepChannels.keys()],
      eligible: eligible.map((r) => r.customerRef),
      simulatorMessages,
      simulatorDuplicateMessages: duplicateMessages,
      storedMessages: countMap(messages),
      storedAfterStep,
      simulatorDuplicatePlacements: duplicatePlacements,
      livePlacementsLeft,
      campaignPhase: input.campaignPhase,
      evaluationVsRecount,
      recount,
    };
  } finally {
    await client.end();
  }
}

/** The headline figures of the evaluation, counted again from the facts, as decimal strings. */
async function sqlRecount(client: pg.Client, id: string): Promise<Record<string, string>> {
  const one = async (sql: string) =>
    String(Object.values((await client.query(sql, [id])).rows[0] ?? { v: 0 })[0] ?? 0);
  return {
    registrationsValid: await one(
      `SELECT count(*) FROM "Registration" WHERE "campaignId" = $1 AND "flagReason" IS NULL`,
    ),
    registrationsFlagged: await one(
      `SELECT count(*) FROM "Registration" WHERE "campaignId" = $1 AND "flagReason" IS NOT NULL`,
    ),
    activated: await one(
      `SELECT count(*) FROM "Registration"
        WHERE "campaignId" = $1 AND "flagReason" IS NULL AND "activatedAt" IS NOT NULL`,
    ),
    treatmentRegistrations: await one(
      `SELECT count(*) FROM "Registration" WHERE "campaignId" = $1 AND "flagReason" IS NULL AND arm = 'treatment'`,
    ),
    controlRegistrations: await one(
      `SELECT count(*) FROM "Registration" WHERE "campaignId" = $1 AND "flagReason" IS NULL AND arm = 'control'`,
    ),
    placements: await one(
      `SELECT count(*) FROM "Placement" WHERE "campaignId" = $1 AND "publishedAt" IS NOT NULL`,
    ),
    acquisitionCostMinor: await one(
      `SELECT COALESCE(sum("amountMinor"), 0) FROM "LedgerEntry"
        WHERE "campaignId" = $1 AND kind = 'cost' AND scope = 'acquisition'`,
    ),
    periodCostMinor: await one(
      `SELECT COALESCE(sum("amountMinor"), 0) FROM "LedgerEntry"
        WHERE "campaignId" = $1 AND kind = 'cost' AND scope = 'period'`,
    ),
    revenueMinor: await one(
      `SELECT COALESCE(sum(l."amountMinor"), 0) FROM "LedgerEntry" l
         JOIN "Registration" r ON r."campaignId" = l."campaignId" AND r."customerRef" = l."customerRef"
        WHERE l."campaignId" = $1 AND l.kind = 'revenue' AND l.scope = 'period' AND r."flagReason" IS NULL`,
    ),
  };
}

interface OverallFigures {
  funnel: Record<string, number | null>;
  costs: { acquisition: { minor: number }; period: { minor: number } };
  revenue: { minor: number };
}

/** The latest final (not provisional) evaluation's overall figures, by the recount's names; null if none. */
async function storedEvaluation(client: pg.Client, id: string): Promise<Record<string, string> | null> {
  const { rows } = await client.query<{ report: { overall: OverallFigures } }>(
    `SELECT report FROM "EvaluationReport" WHERE "campaignId" = $1 AND NOT provisional
      ORDER BY version DESC LIMIT 1`,
    [id],
  );
  const overall = rows[0]?.report.overall;
  if (!overall) return null;
  const s = (v: number | null | undefined) => (v === null || v === undefined ? 'null' : String(v));
  return {
    registrationsValid: s(overall.funnel.registrationsValid),
    registrationsFlagged: s(overall.funnel.registrationsFlagged),
    activated: s(overall.funnel.activated),
    treatmentRegistrations: s(overall.funnel.treatmentRegistrations),
    controlRegistrations: s(overall.funnel.controlRegistrations),
    placements: s(overall.funnel.placements),
    acquisitionCostMinor: s(overall.costs.acquisition.minor),
    periodCostMinor: s(overall.costs.period.minor),
    revenueMinor: s(overall.revenue.minor),
  };
}
