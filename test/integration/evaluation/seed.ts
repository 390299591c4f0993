// Seeds a live campaign's facts straight into PostgreSQL with Prisma — registrations (valid, flagged,
// control and treatment, activated after known delays), the cost and revenue ledger, placements and
// customer events — and returns the same facts as plain arrays, from which the tests compute the expected
// figures themselves.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/client';
import { seedChannels, storedPlan, uniq } from '../../support/fixtures';
import { random } from './independent';

export interface SeededRegistration {
  customerRef: string;
  channelId: string;
  variantKey: string;
  cohortKey: string;
  arm: 'treatment' | 'control';
  flagReason: string | null;
  registeredAt: Date;
  activationDelaySeconds: number | null;
}

export interface SeededLedgerEntry {
  id: string;
  kind: 'cost' | 'revenue';
  scope: 'acquisition' | 'period';
  category: string;
  channelId: string;
  variantKey: string | null;
  cohortKey: string | null;
  customerRef: string | null;
  amountMinor: number;
}

export interface SeededCampaign {
  campaignId: string;
  currency: string;
  channelIds: string[];
  cohortKeys: string[];
  registrations: SeededRegistration[];
  ledger: SeededLedgerEntry[];
  /** Published placements per `${channelId}|${variantKey}` (a failed one is seeded too, and must not count). */
  placements: Map<string, number>;
}

export interface SeedOptions {
  seed: number;
  registrations: number;
  currency?: string;
  /** Reuse channels (for comparisons across campaigns); otherwise two fresh ones are created. */
  channelIds?: string[];
  /** Activation probability per channel index (default 0.4 everywhere). */
  activationRate?: (channelIndex: number) => number;
  /** The last cohort's new-customer period is still running. */
  lastCohortImmature?: boolean;
  controlShare?: number;
}

const DAY_MS = 86_400_000;
const VARIANTS = ['v1', 'v2'];

export async function seedCampaign(db: Db, options: SeedOptions): Promise<SeededCampaign> {
  const rand = random(options.seed);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const currency = options.currency ?? 'CNY';
  const channelIds =
    options.channelIds ?? (await seedChannels(db, 2, { prefix: uniq('eval') })).map((c) => c.id);
  const campaignId = randomUUID();
  const now = Date.now();
  const base = now - 90 * DAY_MS;
  const cohortKeys = ['c1', 'c2', 'c3'];
  await db.campaign.create({
    data: {
      id: campaignId,
      name: uniq('evaluated'),
      status: 'completed',
      currency,
      // A whole plan: GET /campaigns lists this row to later test files, and documents a whole plan.
      plan: { ...storedPlan(), currency, controlGroupShare: options.controlShare ?? 0.25 },
      workflowId: `test-evaluation-${campaignId}`,
      workflowStartedAt: new Date(),
      createdBy: 'test',
    },
  });
  await db.campaignChannel.createMany({ data: channelIds.map((channelId) => ({ campaignId, channelId })) });

  const registrations: SeededRegistration[] = [];
  const ledger: SeededLedgerEntry[] = [];
  for (let i = 0; i < options.registrations; i++) {
    const channelIndex = int(0, channelIds.length - 1);
    const cohortIndex = i % cohortKeys.length;
    const flagged = rand() < 0.06;
    const activated = !flagged && rand() < (options.activationRate?.(channelIndex) ?? 0.4);
    registrations.push({
      customerRef: `cust-${i}`,
      channelId: channelIds[channelIndex]!,
      variantKey: VARIANTS[int(0, 1)]!,
      cohortKey: cohortKeys[cohortIndex]!,
      arm: rand() < (options.controlShare ?? 0.25) ? 'control' : 'treatment',
      flagReason: flagged ? (rand() < 0.5 ? 'duplicate_customer' : 'existing_customer') : null,
      registeredAt: new Date(base + cohortIndex * DAY_MS + int(0, 80_000) * 1000),
      activationDelaySeconds: activated ? int(60, 5 * 86_400) : null,
    });
  }

  const attributed = (r: SeededRegistration) => ({
    channelId: r.channelId,
    variantKey: r.variantKey,
    cohortKey: r.cohortKey,
    customerRef: r.customerRef,
  });
  for (const r of registrations) {
    ledger.push({
      id: `incentive:${r.customerRef}`,
      kind: 'cost',
      scope: 'acquisition',
      category: 'registration_incentive',
      amountMinor: 500,
      ...attributed(r),
    });
    if (r.arm === 'treatment' && !r.flagReason) {
      for (let m = 0; m < int(0, 3); m++) {
        ledger.push({
          id: `message:${r.customerRef}:${m}`,
          kind: 'cost',
          scope: 'period',
          category: 'message',
          amountMinor: int(5, 20),
          ...attributed(r),
        });
      }
    }
    if (r.activationDelaySeconds !== null) {
      ledger.push({
        id: `activation:${r.customerRef}`,
        kind: 'cost',
        scope: 'period',
        category: 'activation_reward',
        amountMinor: 1000,
        ...attributed(r),
      });
      for (let e = 0; e < int(1, 3); e++) {
        ledger.push({
          id: `revenue:${r.customerRef}:${e}`,
          kind: 'revenue',
          scope: 'period',
          category: 'revenue',
          amountMinor: int(100, 50_000),
          ...attributed(r),
        });
      }
    }
  }
  // Revenue no ratio may use: a flagged customer's, and one whose customer never registered here.
  const flaggedOne = registrations.find((r) => r.flagReason !== null)!;
  ledger.push({
    id: `revenue:${flaggedOne.customerRef}:flagged`,
    kind: 'revenue',
    scope: 'period',
    category: 'revenue',
    amountMinor: 7777,
    ...attributed(flaggedOne),
  });
  ledger.push({
    id: `revenue:ghost`,
    kind: 'revenue',
    scope: 'period',
    category: 'revenue',
    channelId: channelIds[0]!,
    variantKey: 'v1',
    cohortKey: 'c1',
    customerRef: 'ghost',
    amountMinor: 3333,
  });

  const placements = new Map<string, number>();
  const placementRows = [];
  for (const channelId of channelIds) {
    for (const variantKey of VARIANTS) {
      const id = `pl-${campaignId}-${channelId}-${variantKey}`;
      placementRows.push({
        id,
        campaignId,
        channelId,
        materialVersionId: 'mv',
        variantKey,
        contentHash: 'h',
        status: 'verified',
        publishedAt: new Date(base),
      });
      placements.set(`${channelId}|${variantKey}`, 1);
      // A placement fee serves every cohort: no cohort on it.
      ledger.push({
        id: `fee:${id}`,
        kind: 'cost',
        scope: 'acquisition',
        category: 'placement_fee',
        channelId,
        variantKey,
        cohortKey: null,
        customerRef: null,
        amountMinor: 20_000,
      });
    }
  }
  placementRows.push({
    id: `pl-${campaignId}-failed`,
    campaignId,
    channelId: channelIds[0]!,
    materialVersionId: 'mv',
    variantKey: 'v1',
    contentHash: 'h',
    status: 'failed',
    publishedAt: null,
  });
  await db.placement.createMany({ data: placementRows });

  const lastCohort = cohortKeys[cohortKeys.length - 1];
  await db.registration.createMany({
    data: registrations.map((r) => ({
      campaignId,
      customerRef: r.customerRef,
      channelId: r.channelId,
      variantKey: r.variantKey,
      registeredAt: r.registeredAt,
      cohortKey: r.cohortKey,
      periodEndsAt:
        options.lastCohortImmature && r.cohortKey === lastCohort
          ? new Date(now + 30 * DAY_MS)
          : new Date(r.registeredAt.getTime() + 30 * DAY_MS),
      arm: r.arm,
      flagReason: r.flagReason,
      activatedAt:
        r.activationDelaySeconds === null
          ? null
          : new Date(r.registeredAt.getTime() + r.activationDelaySeconds * 1000),
      attributes: { age: 20 + (Number(r.customerRef.slice(5)) % 50) },
    })),
  });
  await db.ledgerEntry.createMany({
    data: ledger.map((entry) => ({
      ...entry,
      id: `${campaignId}:${entry.id}`,
      campaignId,
      amountMinor: BigInt(entry.amountMinor),
      currency,
      occurredAt: new Date(base),
    })),
  });
  // Events are facts too, though the evaluation reads activation and revenue from registrations and ledger.
  await db.customerEvent.createMany({
    data: registrations
      .filter((r) => r.activationDelaySeconds !== null)
      .map((r) => ({
        eventId: `${campaignId}:${r.customerRef}:tx`,
        campaignId,
        customerRef: r.customerRef,
        type: 'transaction',
        amountMinor: 10_000n,
        currency,
        occurredAt: new Date(r.registeredAt.getTime() + (r.activationDelaySeconds ?? 0) * 1000),
      })),
  });
  return { campaignId, currency, channelIds, cohortKeys, registrations, ledger, placements };
}

/** Independent totals over a subset of the seeded facts. */
export function expectedTotals(
  seeded: SeededCampaign,
  filter: { channelId?: string; variantKey?: string; cohortKey?: string } = {},
) {
  const matches = (x: { channelId: string; variantKey: string | null; cohortKey: string | null }) =>
    (filter.channelId === undefined || x.channelId === filter.channelId) &&
    (filter.variantKey === undefined || x.variantKey === filter.variantKey) &&
    (filter.cohortKey === undefined || x.cohortKey === filter.cohortKey);
  const regs = seeded.registrations.filter(matches);
  const valid = regs.filter((r) => r.flagReason === null);
  const validRefs = new Set(valid.map((r) => r.customerRef));
  const sum = (entries: SeededLedgerEntry[]) => entries.reduce((total, e) => total + e.amountMinor, 0);
  const entries = seeded.ledger.filter(matches);
  const flaggedByReason = new Map<string, number>();
  for (const r of regs)
    if (r.flagReason) flaggedByReason.set(r.flagReason, (flaggedByReason.get(r.flagReason) ?? 0) + 1);
  return {
    valid: valid.length,
    activated: valid.filter((r) => r.activationDelaySeconds !== null).length,
    control: valid.filter((r) => r.arm === 'control'),
    treatment: valid.filter((r) => r.arm === 'treatment'),
    flaggedByReason,
    acquisitionCost: sum(entries.filter((e) => e.kind === 'cost' && e.scope === 'acquisition')),
    periodCost: sum(entries.filter((e) => e.kind === 'cost' && e.scope === 'period')),
    revenue: sum(
      entries.filter((e) => e.kind === 'revenue' && e.customerRef !== null && validRefs.has(e.customerRef)),
    ),
    revenueOf: (refs: Set<string>) =>
      sum(entries.filter((e) => e.kind === 'revenue' && e.customerRef !== null && refs.has(e.customerRef))),
    delays: valid.flatMap((r) => (r.activationDelaySeconds === null ? [] : [r.activationDelaySeconds])),
  };
}
