// Reads the planner's history from the facts: per campaign, per channel (optionally per material
// variant), per cohort — acquisition spend, registrations, activations, new-customer-period revenue and
// cost. It reuses the evaluation's loader (evaluation/sql.ts: the same GROUP BY buckets, the same
// currency checks, the same cohort maturity), so a plan rests on exactly the facts an evaluation would
// count. All campaigns are read in one REPEATABLE READ snapshot. The only I/O in planning/.
import type { Db } from '../db/client';
import type { CostBucket, EvaluationInput, RegistrationBucket } from '../evaluation/input';
import { EvaluationFactsError, loadEvaluationFacts } from '../evaluation/sql';
import { EVALUATION_WORK_MEM } from '../evaluation/store';
import { Prisma } from '../generated/prisma/client';
import type { CandidateHistory } from './plan';
import type { ResponsePoint } from './response-model';
import type { RateHistory } from './shrinkage';
import { VISIBLE_CAMPAIGN } from '../db/visible-campaigns';

export interface HistorySelection {
  readonly currency: string;
  /** Exactly these campaigns; otherwise the newest `lastCampaigns` in the currency. */
  readonly campaignIds: readonly string[] | null;
  readonly lastCampaigns: number;
  /** Decides which cohorts are mature (their new-customer period is over). */
  readonly now: Date;
}

export interface HistoryCampaign {
  readonly id: string;
  readonly name: string;
  readonly origin: string;
  readonly createdAt: Date;
  /** Why the campaign is not in the history, or null when it is. */
  readonly leftOut: string | null;
}

/** A unit the planner asks about: a channel, or one material variant on it. */
export interface HistoryUnit {
  readonly channelId: string;
  readonly materialVariant: string | null;
}

export interface PlanningHistory {
  readonly campaigns: readonly HistoryCampaign[];
  /** What a unit's history says, with notes on what was left out of it and why. */
  historyOf(unit: HistoryUnit): { history: CandidateHistory; notes: string[] };
  /** Per channel kind, each channel's (or asked-for unit's) registrations and activations. */
  kindPools(units: readonly HistoryUnit[]): Record<string, RateHistory[]>;
}

/** A campaign id that does not exist, or one in another currency: the request's fault. */
export class HistorySelectionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const SNAPSHOT_TIMEOUT_MS = 10 * 60_000;

interface LoadedCampaign {
  readonly campaign: HistoryCampaign;
  readonly input: EvaluationInput | null;
}

async function chooseCampaigns(tx: Prisma.TransactionClient, selection: HistorySelection) {
  const select = { id: true, name: true, origin: true, currency: true, createdAt: true } as const;
  if (selection.campaignIds === null) {
    return tx.campaign.findMany({
      where: { ...VISIBLE_CAMPAIGN, currency: selection.currency },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: selection.lastCampaigns,
      select,
    });
  }
  const rows = await tx.campaign.findMany({
    where: { ...VISIBLE_CAMPAIGN, id: { in: [...selection.campaignIds] } },
    select,
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const problems: HistorySelectionError[] = [];
  selection.campaignIds.forEach((id, i) => {
    const row = byId.get(id);
    if (!row)
      problems.push(new HistorySelectionError(`history.campaignIds.${i}`, `campaign ${id} does not exist`));
    else if (row.currency !== selection.currency)
      problems.push(
        new HistorySelectionError(
          `history.campaignIds.${i}`,
          `campaign ${id} is in ${row.currency}; the plan is in ${selection.currency}`,
        ),
      );
  });
  if (problems.length > 0) throw new AggregateError(problems, 'history selection refused');
  return selection.campaignIds.map((id) => byId.get(id)!);
}

/** Loads the selected campaigns' facts. Throws AggregateError of HistorySelectionError for bad ids. */
export async function loadPlanningHistory(db: Db, selection: HistorySelection): Promise<PlanningHistory> {
  const loaded = await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '${EVALUATION_WORK_MEM}'`);
      await tx.$executeRawUnsafe('SET LOCAL jit = off');
      const chosen = await chooseCampaigns(tx, selection);
      const out: LoadedCampaign[] = [];
      for (const row of chosen) {
        const campaign = { id: row.id, name: row.name, origin: row.origin, createdAt: row.createdAt };
        try {
          const facts = await loadEvaluationFacts(tx, row.id, selection.now);
          out.push({ campaign: { ...campaign, leftOut: null }, input: facts.input });
        } catch (err) {
          // Facts that cannot be evaluated (mixed currencies, an unknown cost scope) cannot be planned on.
          if (!(err instanceof EvaluationFactsError)) throw err;
          out.push({ campaign: { ...campaign, leftOut: err.message }, input: null });
        }
      }
      return out;
    },
    {
      isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
      timeout: SNAPSHOT_TIMEOUT_MS,
      maxWait: 30_000,
    },
  );
  const kinds = await channelKinds(db, loaded);
  return {
    campaigns: loaded.map((l) => l.campaign),
    historyOf: (unit) => unitHistory(loaded, unit),
    kindPools: (units) => kindPools(loaded, kinds, units),
  };
}

async function channelKinds(db: Db, loaded: readonly LoadedCampaign[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const { input } of loaded) for (const b of input?.registrations ?? []) ids.add(b.channelId);
  const rows = await db.channel.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, kind: true },
  });
  return new Map(rows.map((row) => [row.id, row.kind]));
}

const matches = (unit: HistoryUnit) => (b: { channelId: string | null; materialVariant: string | null }) =>
  b.channelId === unit.channelId &&
  (unit.materialVariant === null || b.materialVariant === unit.materialVariant);

// Registrations bought by spend: the control arm got none (it shows what happens without the campaign).
function paidBuckets(input: EvaluationInput, unit: HistoryUnit): RegistrationBucket[] {
  return input.registrations.filter((b) => matches(unit)(b) && b.group !== input.controlGroup);
}

function unitHistory(loaded: readonly LoadedCampaign[], unit: HistoryUnit) {
  const points: ResponsePoint[] = [];
  const notes: string[] = [];
  let campaigns = 0;
  let periodRevenueMinor = 0;
  let periodCostMinor = 0;
  for (const { campaign, input } of loaded) {
    if (!input) continue;
    const buckets = paidBuckets(input, unit);
    const costs = input.costs.filter((c) => c.channelId === unit.channelId);
    const acquisition = costs.filter((c) => c.scope === 'acquisition');
    if (buckets.length === 0 && acquisition.length === 0) continue;
    let unattributed = 0;
    const ofUnit = (c: CostBucket) => {
      if (unit.materialVariant === null || c.materialVariant === unit.materialVariant) return true;
      if (c.materialVariant === null) unattributed += c.amountMinor;
      return false;
    };
    const unitAcquisition = acquisition.filter(ofUnit);
    const unitPeriod = costs.filter((c) => c.scope === 'period' && ofUnit(c));
    if (unattributed > 0) {
      notes.push(
        `campaign ${campaign.id}: ${unattributed} minor units of the channel's cost name no material variant and ` +
          'are left out of this variant’s history',
      );
    }
    const mature = (cohortKey: string) => input.cohortsMature?.[cohortKey] === true;
    const byCohort = unitAcquisition.every((c) => c.cohortKey !== null);
    if (byCohort) {
      const cohorts = new Map<string, { spend: number; registrations: number; activations: number }>();
      const cohort = (key: string) => {
        let entry = cohorts.get(key);
        if (!entry) cohorts.set(key, (entry = { spend: 0, registrations: 0, activations: 0 }));
        return entry;
      };
      for (const c of unitAcquisition) cohort(c.cohortKey!).spend += c.amountMinor;
      for (const b of buckets) {
        cohort(b.cohortKey).registrations += b.registrations;
        cohort(b.cohortKey).activations += b.activated;
      }
      const keys = [...cohorts.keys()].filter(mature).sort();
      const immature = cohorts.size - keys.length;
      if (immature > 0)
        notes.push(
          `campaign ${campaign.id}: ${immature} cohort(s) still in their new-customer period, left out`,
        );
      for (const key of keys) {
        const c = cohorts.get(key)!;
        points.push({
          spendMinor: c.spend,
          registrations: c.registrations,
          activations: c.activations,
          campaign: campaign.id,
        });
      }
      if (keys.length === 0) continue;
      const inMature = (b: { cohortKey: string | null }) => b.cohortKey !== null && mature(b.cohortKey);
      periodRevenueMinor += buckets.filter(inMature).reduce((n, b) => n + b.periodRevenueMinor, 0);
      periodCostMinor += unitPeriod
        .filter((c) => c.cohortKey === null || mature(c.cohortKey))
        .reduce((n, c) => n + c.amountMinor, 0);
    } else {
      // Some acquisition cost is not attributed to a cohort: the campaign is one point, once it is complete.
      if (!Object.values(input.cohortsMature ?? {}).every(Boolean)) {
        notes.push(
          `campaign ${campaign.id}: not every cohort is mature and its cost is not per cohort, left out`,
        );
        continue;
      }
      points.push({
        spendMinor: unitAcquisition.reduce((n, c) => n + c.amountMinor, 0),
        registrations: buckets.reduce((n, b) => n + b.registrations, 0),
        activations: buckets.reduce((n, b) => n + b.activated, 0),
        campaign: campaign.id,
      });
      periodRevenueMinor += buckets.reduce((n, b) => n + b.periodRevenueMinor, 0);
      periodCostMinor += unitPeriod.reduce((n, c) => n + c.amountMinor, 0);
    }
    campaigns++;
  }
  return { history: { points, campaigns, periodRevenueMinor, periodCostMinor }, notes };
}

// Each kind's pool: every channel seen in the history, except that a channel the planner asks about per
// material variant is represented by those variants (so an experiment's arms are shrunk toward each other).
function kindPools(
  loaded: readonly LoadedCampaign[],
  kinds: ReadonlyMap<string, string>,
  units: readonly HistoryUnit[],
): Record<string, RateHistory[]> {
  const narrowed = new Set(units.filter((u) => u.materialVariant !== null).map((u) => u.channelId));
  const poolUnits: HistoryUnit[] = [
    ...[...kinds.keys()]
      .filter((id) => !narrowed.has(id))
      .map((channelId) => ({ channelId, materialVariant: null })),
    ...units.filter((u) => u.materialVariant !== null),
  ];
  const pools: Record<string, RateHistory[]> = {};
  for (const unit of poolUnits) {
    const kind = kinds.get(unit.channelId);
    if (!kind) continue;
    const rate = { registrations: 0, activations: 0 };
    for (const { input } of loaded) {
      if (!input) continue;
      for (const b of paidBuckets(input, unit)) {
        if (input.cohortsMature?.[b.cohortKey] !== true) continue;
        rate.registrations += b.registrations;
        rate.activations += b.activated;
      }
    }
    if (rate.registrations > 0) (pools[kind] ??= []).push(rate);
  }
  return pools;
}
