// The contact check at delivery (docs/architecture.md, "Contact policy at delivery"): before a batch of a
// cohort step's messages goes to the channel, each message is decided — reserved, or withheld with its
// reason — in one transaction that holds an advisory lock per customer (taken in customerRef order, so two
// workers locking overlapping customers never deadlock). Consent writes take the same lock
// (api/customers/consent-store.ts). So whatever worker and campaign decide a message for a customer, they
// decide one after the other on committed facts: two campaigns on two workers never exceed a cap, and an
// opt-out committed before a decision is always seen by it.
//
// The decision is stored under the message id (ContactDecision): a retry finds it and neither decides nor
// counts again. A reserved message whose customer opted out before the retry sent it is turned into
// `opted_out` (consent is checked per message, every time).
import type { Db } from '../db/client';
import { parseStoredPlan } from '../domain/campaign-plan';
import {
  ContactPolicySchema,
  priorityOf,
  UNRESTRICTED_POLICY,
  type ContactPolicy,
} from '../domain/contact-policy';
import { cohortsOfWindow } from '../domain/cohort';
import {
  decideContact,
  longestWindowMs,
  type ContactOutcome,
  type HeldSlot,
} from '../funnel/contact-decision';
import type { PlanStepKind } from '../domain/engagement-plan';
import { stepDueAt } from '../funnel/schedule';
import { parseInstant } from '../domain/zoned-time';
import { TERMINAL_CAMPAIGN_PHASES } from '../domain/campaign-phase';
import type { Clock } from './deps';
import { messageIdFor } from './message-id';

export interface PolicyInForce {
  version: number | null;
  policy: ContactPolicy;
}

/** The highest stored version, or the unrestricted policy (version null) when none was ever stored. */
export async function policyInForce(db: Pick<Db, 'contactPolicyVersion'>): Promise<PolicyInForce> {
  const row = await db.contactPolicyVersion.findFirst({ orderBy: { version: 'desc' } });
  if (!row) return { version: null, policy: UNRESTRICTED_POLICY };
  const parsed = ContactPolicySchema.safeParse(row.policy);
  // A stored version was validated when it was written; failing here means the schema became stricter.
  if (!parsed.success) throw new Error(`contact policy version ${row.version} no longer validates`);
  return { version: row.version, policy: parsed.data };
}

export interface ContactStep {
  campaignId: string;
  stepId: string;
  cohortKey: string;
  channelCode: string;
  kind: PlanStepKind;
}

export interface ContactCandidate {
  customerRef: string;
  messageId: string;
}

/** Consent in force for the customers, for this channel: the set of customerRefs who opted out. */
async function optedOut(
  db: Pick<Db, 'consentRecord'>,
  refs: string[],
  channelCode: string,
): Promise<Set<string>> {
  const rows = await db.consentRecord.findMany({
    where: { customerRef: { in: refs }, scope: { in: ['all', channelCode] } },
    orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
    select: { customerRef: true, scope: true, decision: true },
  });
  const latest = new Map<string, string>();
  for (const row of rows) {
    const key = `${row.customerRef}\u0000${row.scope}`;
    if (!latest.has(key)) latest.set(key, row.decision);
  }
  const out = new Set<string>();
  for (const [key, decision] of latest) if (decision === 'opt_out') out.add(key.split('\u0000')[0] as string);
  return out;
}

/**
 * Messages of other, higher-priority live campaigns that are due for these customers within the longest
 * cap window of now (decided or not: the transaction drops the decided ones). Read outside the lock:
 * registrations and plans only grow, and what is decided is checked inside.
 */
async function heldCandidates(
  db: Db,
  step: ContactStep,
  refs: string[],
  { policy }: PolicyInForce,
  nowMs: number,
): Promise<(HeldSlot & { customerRef: string; messageId: string })[]> {
  const windowMs = longestWindowMs(policy);
  const mine = priorityOf(policy, step.campaignId);
  const anyHigher =
    policy.priorities.default > mine || policy.priorities.campaigns.some((c) => c.priority > mine);
  if (windowMs === 0 || !anyHigher) return [];
  const registrations = await db.registration.findMany({
    where: {
      customerRef: { in: refs },
      campaignId: { not: step.campaignId },
      flagReason: null,
      arm: 'treatment',
      campaign: { origin: 'live', status: { notIn: [...TERMINAL_CAMPAIGN_PHASES] } },
    },
    select: { customerRef: true, campaignId: true, cohortKey: true },
  });
  const plans = new Map<string, ReturnType<typeof parseStoredPlan>>();
  const held: (HeldSlot & { customerRef: string; messageId: string })[] = [];
  for (const r of registrations) {
    const priority = priorityOf(policy, r.campaignId);
    if (priority <= mine) continue;
    if (!plans.has(r.campaignId)) {
      const campaign = await db.campaign.findUnique({ where: { id: r.campaignId }, select: { plan: true } });
      plans.set(r.campaignId, parseStoredPlan(campaign?.plan));
    }
    const plan = plans.get(r.campaignId);
    if (!plan?.success) continue;
    const { registrationWindow, cohortGranularity, timeZone, sendingHours, engagementPlan } = plan.data;
    const cohort = cohortsOfWindow(registrationWindow, cohortGranularity, timeZone).find(
      (c) => c.key === r.cohortKey,
    );
    if (!cohort) continue;
    for (const s of engagementPlan.steps) {
      if (policy.exemptKinds.includes(s.kind)) continue;
      const dueMs = parseInstant(stepDueAt(cohort.start, s.offset, sendingHours, timeZone));
      if (Math.abs(dueMs - nowMs) >= windowMs) continue;
      held.push({
        customerRef: r.customerRef,
        messageId: messageIdFor(r.campaignId, s.id, r.customerRef),
        dueMs,
        channelCode: s.channelCode,
        priority,
      });
    }
  }
  return held;
}

/**
 * Decides each candidate message (one per customer) and records the decisions; returns each message id's
 * outcome. Only `reserved` ones may be delivered.
 */
export async function reserveContacts(
  db: Db,
  clock: Clock,
  step: ContactStep,
  candidates: readonly ContactCandidate[],
): Promise<Map<string, ContactOutcome['outcome']>> {
  const outcomes = new Map<string, ContactOutcome['outcome']>();
  if (candidates.length === 0) return outcomes;
  const inForce = await policyInForce(db);
  const refs = [...new Set(candidates.map((c) => c.customerRef))].sort();
  const held = await heldCandidates(db, step, refs, inForce, clock.now().getTime());
  const priority = priorityOf(inForce.policy, step.campaignId);

  await db.$transaction(
    async (tx) => {
      // One lock per customer, in a fixed order; released at commit.
      await tx.$executeRaw`
        SELECT pg_advisory_xact_lock(s.k)
          FROM (SELECT hashtextextended('contact:' || r, 0) AS k FROM unnest(${refs}::text[]) AS r ORDER BY r) AS s`;
      // The decision's time is read once the locks are held, so decisions for one customer are stamped in
      // the order they were made (up to the workers' clock difference, which the caps' count tolerates:
      // funnel/contact-decision.ts counts contacts stamped after `now` too).
      const now = clock.now();
      const nowMs = now.getTime();
      const since = new Date(nowMs - longestWindowMs(inForce.policy));
      const [existing, out, past, decidedHeld] = await Promise.all([
        tx.contactDecision.findMany({
          where: { messageId: { in: candidates.map((c) => c.messageId) } },
          select: { messageId: true, outcome: true },
        }),
        optedOut(tx, refs, step.channelCode),
        inForce.policy.frequencyCaps.length === 0
          ? Promise.resolve([])
          : tx.contactDecision.findMany({
              where: {
                customerRef: { in: refs },
                outcome: 'reserved',
                counted: true,
                decidedAt: { gt: since },
              },
              select: { customerRef: true, channelCode: true, decidedAt: true },
            }),
        held.length === 0
          ? Promise.resolve([])
          : tx.contactDecision.findMany({
              where: { messageId: { in: held.map((h) => h.messageId) } },
              select: { messageId: true },
            }),
      ]);
      const known = new Map(existing.map((d) => [d.messageId, d.outcome]));
      const decided = new Set(decidedHeld.map((d) => d.messageId));
      const rows: {
        messageId: string;
        customerRef: string;
        campaignId: string;
        stepId: string;
        cohortKey: string;
        channelCode: string;
        kind: string;
        outcome: string;
        counted: boolean;
        policyVersion: number | null;
        decidedAt: Date;
      }[] = [];
      const nowOptedOut: string[] = [];
      for (const c of candidates) {
        const earlier = known.get(c.messageId);
        if (earlier !== undefined) {
          // Decided before (a retry): not decided or counted again — but consent is checked every time.
          if (earlier === 'reserved' && out.has(c.customerRef)) {
            nowOptedOut.push(c.messageId);
            outcomes.set(c.messageId, 'opted_out');
          } else outcomes.set(c.messageId, earlier as ContactOutcome['outcome']);
          continue;
        }
        const decision = decideContact({
          policy: inForce.policy,
          nowMs,
          kind: step.kind,
          channelCode: step.channelCode,
          priority,
          optedOut: out.has(c.customerRef),
          past: past
            .filter((p) => p.customerRef === c.customerRef)
            .map((p) => ({ atMs: p.decidedAt.getTime(), channelCode: p.channelCode })),
          held: held.filter((h) => h.customerRef === c.customerRef && !decided.has(h.messageId)),
        });
        outcomes.set(c.messageId, decision.outcome);
        rows.push({
          messageId: c.messageId,
          customerRef: c.customerRef,
          campaignId: step.campaignId,
          stepId: step.stepId,
          cohortKey: step.cohortKey,
          channelCode: step.channelCode,
          kind: step.kind,
          outcome: decision.outcome,
          counted: decision.counted,
          policyVersion: inForce.version,
          decidedAt: now,
        });
      }
      if (rows.length > 0) await tx.contactDecision.createMany({ data: rows, skipDuplicates: true });
      if (nowOptedOut.length > 0) {
        await tx.contactDecision.updateMany({
          where: { messageId: { in: nowOptedOut } },
          data: { outcome: 'opted_out', counted: false },
        });
      }
    },
    // Waiting for another worker's locks on the same customers is normal under contention.
    { maxWait: 10_000, timeout: 30_000 },
  );
  return outcomes;
}

/** Takes the customer's contact lock inside `tx` (consent writes and erasures serialise with decisions). */
export async function lockCustomerContacts(
  tx: { $executeRaw: Db['$executeRaw'] },
  customerRef: string,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('contact:' || ${customerRef}::text, 0))`;
}
