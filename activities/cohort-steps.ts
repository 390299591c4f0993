// One education/engagement step for one cohort (architecture.md, "New-customer period at cohort
// granularity"): pages through the cohort's customers in PostgreSQL and delivers the step's message to each
// one in its audience, through the step's channel, idempotently. The message id is derived from campaign,
// step and customer and is the delivery's idempotency key, and a customer with a Message row for the step is
// skipped: so a retried page, a retried activity or a re-run after a pause never delivers twice, and since
// pages are read in registration-id order until none is left, nobody is skipped either.
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { ChannelError, type ChannelAdapter, type DeliveryReceipt } from '../channels/adapter';
import { adapterFor } from '../channels/adapter-for';
import type { Db } from '../db/client';
import { parseStoredPlan } from '../domain/campaign-plan';
import { MaterialContentSchema, type MaterialContent } from '../domain/material-content';
import { cohortsOfWindow, type Cohort } from '../domain/cohort';
import type { EngagementStep } from '../domain/engagement-plan';
import { insertLedgerEntries, insertMessages } from '../db/bulk-insert';
import { ledgerEntries } from '../funnel/ingest/ledger-entries';
import { Prisma } from '../generated/prisma/client';
import { reserveContacts } from './contact-reservation';
import type { ActivityDeps, Clock } from './deps';
import { messageIdFor } from './message-id';
import { createSlots, pagesForTransactionSlots, type Slots } from './slots';
import { WITHHELD_REASONS, type WithheldReason } from '../funnel/contact-decision';

export { messageIdFor };

/** Customers read per page: one query, one heartbeat and one insert of Message rows per page. */
export const COHORT_PAGE_SIZE = 500;
/** Deliveries in flight at once within a page: enough to hide a channel's latency, few enough to be polite. */
export const DELIVERIES_IN_FLIGHT = 32;
/** Batch calls in flight at once, for channels that take batches (docs/channel-protocol.md). */
export const DELIVERY_BATCHES_IN_FLIGHT = 4;
/** Without a worker's own slots (scripts, tests): the default pool's 10 connections less two. */
const DEFAULT_TRANSACTION_SLOTS = 8;

export interface CohortStepInput {
  campaignId: string;
  cohortKey: string;
  stepId: string;
}

export interface CohortStepResult {
  /** Messages delivered by this run of the step (its retries included). */
  delivered: number;
  /** Cohort members who get no message from this step: control group, flagged, or outside the audience. */
  skipped: number;
  /** Members who already had the message (an earlier run, e.g. before a pause). */
  alreadyDelivered: number;
  /**
   * Members whose message the contact policy or their consent withheld, by reason (part of `skipped`):
   * decided once per message and stored (ContactDecision), so these are the step's totals over all runs.
   */
  withheld: Record<WithheldReason, number>;
}

/** What a retried attempt resumes from (heartbeat details): pages up to `after` are done. */
interface Progress {
  after: string;
  delivered: number;
  alreadyDelivered: number;
}

interface Member {
  id: string;
  customerRef: string;
  channelId: string;
  variantKey: string | null;
  cohortKey: string;
  hasMessage: boolean;
  inAudience: boolean;
}

interface StepSetup {
  db: Db;
  clock: Clock;
  slots: Slots;
  step: EngagementStep;
  currency: string;
  cohort: Cohort;
  channel: { id: string; code: string };
  adapter: ChannelAdapter;
  content: MaterialContent;
}

export function createCohortStepActivities(deps: ActivityDeps) {
  const { db } = deps;
  // One set of slots for every step this worker runs (the pool and the memory are the worker's).
  const slots = deps.transactionSlots ?? createSlots(DEFAULT_TRANSACTION_SLOTS);
  const pageSlots = deps.pageSlots ?? createSlots(pagesForTransactionSlots(DEFAULT_TRANSACTION_SLOTS));
  return {
    async runCohortStep(input: CohortStepInput): Promise<CohortStepResult> {
      const context = activityContext();
      const setup = { ...(await loadStep(db, input, deps.simulatorUrl)), db, clock: deps.clock, slots };
      const progress: Progress = resumedProgress(context) ?? { after: '', delivered: 0, alreadyDelivered: 0 };
      await markStep(db, input, setup.cohort, { status: 'running' });
      for (;;) {
        if (context?.cancellationSignal.aborted) {
          await markStep(db, input, setup.cohort, {
            status: 'cancelled',
            delivered: progress.delivered + progress.alreadyDelivered,
          });
          throw new CancelledFailure('the cohort step was cancelled between pages');
        }
        // The page slot is taken BEFORE the page is read: a step waiting for one holds no customers.
        const page = await whileHeartbeating(context, progress, (alive) =>
          pageSlots.run(() => runPage(input, setup, context, progress, alive)),
        );
        if (page === 'last') break;
      }
      const members = await db.registration.count({
        where: { campaignId: input.campaignId, cohortKey: input.cohortKey },
      });
      const messaged = progress.delivered + progress.alreadyDelivered;
      const skipped = Math.max(0, members - messaged);
      const withheld = await withheldCounts(db, input);
      await markStep(db, input, setup.cohort, {
        status: 'completed',
        delivered: messaged,
        skipped,
        withheld,
        finishedAt: deps.clock.now().toISOString(),
      });
      return {
        delivered: progress.delivered,
        skipped,
        alreadyDelivered: progress.alreadyDelivered,
        withheld,
      };
    },
  };
}

/**
 * One page: read, deliver, record; `progress` moves past it only when it is whole. 'more' when the loop
 * goes on (another page, or a cancellation the loop's top records), 'last' when no page follows.
 */
async function runPage(
  input: CohortStepInput,
  setup: StepSetup,
  context: Context | null,
  progress: Progress,
  alive: () => void,
): Promise<'more' | 'last'> {
  // Cancelled while waiting for the slot: nothing read, the loop's top records it.
  if (context?.cancellationSignal.aborted) return 'more';
  const page = await readPage(setup.db, input, setup.step, progress.after);
  if (page.length === 0) return 'last';
  const toSend = page.filter((member) => !member.hasMessage && member.inAudience);
  const { sent, withheld, error } = await deliverPageCalls(input, setup, toSend, context, alive);
  await recordMessages(setup.db, input, setup, sent);
  // A failed page is not counted: its retry reads it again and finds the recorded ones delivered.
  if (error !== undefined) throw await failureFor(setup.db, input, setup, error);
  progress.delivered += sent.length;
  // Cancelled mid-page: the page is unfinished, so the loop's top records the cancellation.
  if (sent.length + withheld.count < toSend.length) return 'more';
  progress.alreadyDelivered += page.filter((member) => member.hasMessage).length;
  progress.after = (page[page.length - 1] as Member).id;
  context?.heartbeat({ ...progress });
  return page.length < COHORT_PAGE_SIZE ? 'last' : 'more';
}

/**
 * Runs one page's work — its wait for a page slot, the transaction slots and the channel calls included —
 * heartbeating on a clock, so that neither a long wait nor a page of slow calls goes silent for the whole
 * heartbeat timeout. The details stay those of the last whole page (the SDK throttles what it sends).
 */
async function whileHeartbeating<T>(
  context: Context | null,
  progress: Progress,
  work: (alive: () => void) => Promise<T>,
): Promise<T> {
  const pageStart = { ...progress };
  const alive = () => context?.heartbeat(pageStart);
  const ticker = context ? setInterval(alive, PAGE_HEARTBEAT_MS) : null;
  try {
    return await work(alive);
  } finally {
    if (ticker) clearInterval(ticker);
  }
}

/** The activity's context, or null when the function is called directly (a script, a test). */
function activityContext(): Context | null {
  try {
    return Context.current();
  } catch {
    return null;
  }
}

function resumedProgress(context: Context | null): Progress | null {
  const details = context?.info.heartbeatDetails as Partial<Progress> | undefined;
  if (typeof details?.after !== 'string') return null;
  return {
    after: details.after,
    delivered: details.delivered ?? 0,
    alreadyDelivered: details.alreadyDelivered ?? 0,
  };
}

const misconfigured = (type: string, message: string) =>
  ApplicationFailure.create({ type, message, nonRetryable: true });

/** Everything the step needs besides its customers; a mistake here will not go away by retrying. */
async function loadStep(
  db: Db,
  input: CohortStepInput,
  simulatorUrl: string,
): Promise<Omit<StepSetup, 'db' | 'clock' | 'slots'>> {
  const campaign = await db.campaign.findUnique({ where: { id: input.campaignId }, select: { plan: true } });
  if (!campaign) throw misconfigured('CampaignNotFound', `campaign ${input.campaignId} does not exist`);
  const plan = parseStoredPlan(campaign.plan);
  if (!plan.success)
    throw misconfigured('InvalidCampaignPlan', `campaign ${input.campaignId} has an invalid stored plan`);
  const step = plan.data.engagementPlan.steps.find((s) => s.id === input.stepId);
  if (!step) throw misconfigured('UnknownPlanStep', `the campaign's plan has no step "${input.stepId}"`);
  const { registrationWindow, cohortGranularity, timeZone } = plan.data;
  const cohort = cohortsOfWindow(registrationWindow, cohortGranularity, timeZone).find(
    (c) => c.key === input.cohortKey,
  );
  if (!cohort)
    throw misconfigured('UnknownCohort', `"${input.cohortKey}" is not a cohort of the campaign's window`);

  const channel = await db.channel.findUnique({ where: { code: step.channelCode } });
  if (!channel)
    throw misconfigured('UnknownChannel', `step "${step.id}" names unknown channel "${step.channelCode}"`);
  if (!channel.canDeliverMessages) {
    throw misconfigured('ChannelCannotDeliver', `channel "${channel.code}" does not deliver messages`);
  }
  let adapter: ChannelAdapter | null;
  try {
    adapter = adapterFor(channel, { simulatorUrl });
  } catch (err) {
    throw misconfigured('ChannelMisconfigured', String(err instanceof Error ? err.message : err));
  }
  if (!adapter)
    throw misconfigured(
      'ChannelCannotDeliver',
      `channel "${channel.code}" is offline: it has no message delivery`,
    );

  const version = await db.materialVersion.findUnique({ where: { id: step.materialVersionId } });
  const content = MaterialContentSchema.safeParse(version?.content);
  if (!version || !content.success) {
    throw misconfigured(
      'UnknownMaterialVersion',
      `step "${step.id}" names material version ${step.materialVersionId}, which is missing or invalid`,
    );
  }
  return {
    step,
    currency: plan.data.currency,
    cohort,
    channel: { id: channel.id, code: channel.code },
    adapter,
    content: content.data,
  };
}

/**
 * The next page of the cohort's valid (unflagged) treatment customers, in registration-id order, each with
 * whether it already has the step's message and whether it is in the step's audience now (at send time).
 * The page is chosen first and joined to Message after, so each page costs one ordered scan of the cohort's
 * registrations, not a join over the whole cohort.
 */
async function readPage(
  db: Db,
  input: CohortStepInput,
  step: EngagementStep,
  after: string,
): Promise<Member[]> {
  const audience =
    step.audience === 'not_activated'
      ? Prisma.sql`p."activatedAt" IS NULL`
      : step.audience === 'activated'
        ? Prisma.sql`p."activatedAt" IS NOT NULL`
        : Prisma.sql`TRUE`;
  return db.$queryRaw<Member[]>(Prisma.sql`
    SELECT p.id, p."customerRef", p."channelId", p."variantKey", p."cohortKey",
           (m.id IS NOT NULL) AS "hasMessage", (${audience}) AS "inAudience"
      FROM (SELECT id, "customerRef", "channelId", "variantKey", "cohortKey", "activatedAt", "campaignId"
              FROM "Registration"
             WHERE "campaignId" = ${input.campaignId}
               AND "cohortKey" = ${input.cohortKey}
               AND "flagReason" IS NULL
               AND arm = 'treatment'
               AND id > ${after}
             ORDER BY id
             LIMIT ${COHORT_PAGE_SIZE}) AS p
      LEFT JOIN "Message" m
        ON m."campaignId" = p."campaignId" AND m."customerRef" = p."customerRef" AND m."stepId" = ${input.stepId}
     ORDER BY p.id`);
}

interface Sent {
  member: Member;
  messageId: string;
  receipt: DeliveryReceipt;
}

/** How often a running page heartbeats on its own (the SDK throttles what it sends). */
const PAGE_HEARTBEAT_MS = 3_000;

/**
 * Delivers to the page's members: in batch calls when the channel takes them (DELIVERY_BATCHES_IN_FLIGHT
 * calls at a time), otherwise one call per message (DELIVERIES_IN_FLIGHT at a time). On the first failure,
 * or when the activity is cancelled, no further call starts; those in flight finish, and what was sent is
 * returned with the error so that it is recorded before the failure propagates.
 */
async function deliverPageCalls(
  input: CohortStepInput,
  setup: StepSetup,
  members: readonly Member[],
  context: Context | null,
  alive: () => void,
): Promise<{ sent: Sent[]; withheld: { count: number }; error?: unknown }> {
  const sent: Sent[] = [];
  const withheld = { count: 0 };
  const { adapter } = setup;
  const message = {
    channelCode: setup.channel.code,
    campaignId: input.campaignId,
    stepId: input.stepId,
    kind: setup.step.kind,
    content: setup.content,
  };
  const keyOf = (member: Member) => messageIdFor(input.campaignId, input.stepId, member.customerRef);

  const batchSize = adapter.deliveryBatchSize ?? 1;
  if (batchSize > 1 && adapter.deliverBatch) {
    const deliverBatch = adapter.deliverBatch.bind(adapter);
    const batches: Member[][] = [];
    for (let i = 0; i < members.length; i += batchSize) batches.push(members.slice(i, i + batchSize));
    const error = await eachInFlight(batches, DELIVERY_BATCHES_IN_FLIGHT, context, async (candidates) => {
      // The contact check right before the call, so an opt-out or another campaign's contact is seen.
      const batch = await allowedMembers(input, setup, candidates, keyOf);
      withheld.count += candidates.length - batch.length;
      if (batch.length === 0) return;
      const keys = batch.map(keyOf);
      const outcomes = await deliverBatch({
        ...message,
        messages: batch.map((member, i) => ({ idempotencyKey: keys[i]!, customerRef: member.customerRef })),
      });
      let itemError: { error: unknown } | undefined;
      outcomes.forEach((outcome, i) => {
        if (outcome.ok) sent.push({ member: batch[i]!, messageId: keys[i]!, receipt: outcome.receipt });
        else itemError ??= { error: outcome.error };
      });
      alive();
      if (itemError) throw itemError.error;
    });
    return error === undefined ? { sent, withheld } : { sent, withheld, error };
  }

  // One call per message, DELIVERIES_IN_FLIGHT at a time, and one contact check per group of that many,
  // right before the group's calls: a check per message was one transaction per message, and at a million
  // customers the cohorts' steps queued for the worker's connection pool (retried, slow; docs/benchmarks.md).
  // The window in which an opt-out can miss a reserved message is one group's calls, as for batch channels.
  const groups: Member[][] = [];
  for (let i = 0; i < members.length; i += DELIVERIES_IN_FLIGHT) {
    groups.push(members.slice(i, i + DELIVERIES_IN_FLIGHT));
  }
  const error = await eachInFlight(groups, 1, context, async (candidates) => {
    const group = await allowedMembers(input, setup, candidates, keyOf);
    withheld.count += candidates.length - group.length;
    const groupError = await eachInFlight(group, DELIVERIES_IN_FLIGHT, context, async (member) => {
      const messageId = keyOf(member);
      const receipt = await adapter.deliver({
        ...message,
        idempotencyKey: messageId,
        customerRef: member.customerRef,
      });
      sent.push({ member, messageId, receipt });
      alive();
    });
    if (groupError !== undefined) throw groupError;
  });
  // Cancelled mid-page: the next loop turn records the cancellation; what was sent is recorded first.
  return error === undefined ? { sent, withheld } : { sent, withheld, error };
}

/** The members whose message the contact check reserves (docs/architecture.md, "Contact policy at delivery"). */
async function allowedMembers(
  input: CohortStepInput,
  setup: StepSetup,
  members: readonly Member[],
  keyOf: (member: Member) => string,
): Promise<Member[]> {
  const outcomes = await setup.slots.run(() =>
    reserveContacts(
      setup.db,
      setup.clock,
      {
        campaignId: input.campaignId,
        stepId: input.stepId,
        cohortKey: input.cohortKey,
        channelCode: setup.channel.code,
        kind: setup.step.kind,
      },
      members.map((member) => ({ customerRef: member.customerRef, messageId: keyOf(member) })),
    ),
  );
  return members.filter((member) => outcomes.get(keyOf(member)) === 'reserved');
}

/** The step's withheld messages by reason, over every run: from the stored decisions. */
async function withheldCounts(db: Db, input: CohortStepInput): Promise<Record<WithheldReason, number>> {
  const rows = await db.contactDecision.groupBy({
    by: ['outcome'],
    where: { campaignId: input.campaignId, cohortKey: input.cohortKey, stepId: input.stepId },
    _count: { _all: true },
  });
  const counts = Object.fromEntries(WITHHELD_REASONS.map((r) => [r, 0])) as Record<WithheldReason, number>;
  for (const row of rows) if (row.outcome in counts) counts[row.outcome as WithheldReason] = row._count._all;
  return counts;
}

/**
 * Runs `run` over `units`, `width` at a time, until all are done, one fails or the activity is cancelled.
 * Returns the first failure (undefined if none); units not yet started when it happened are not run.
 */
async function eachInFlight<T>(
  units: readonly T[],
  width: number,
  context: Context | null,
  run: (unit: T) => Promise<void>,
): Promise<unknown> {
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (!failure && next < units.length && !context?.cancellationSignal.aborted) {
      const unit = units[next++] as T;
      try {
        await run(unit);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, units.length) }, worker));
  return failure?.error;
}

/** Message rows and their ledger entries, in one transaction; re-inserting an existing id is a no-op. */
async function recordMessages(
  db: Db,
  input: CohortStepInput,
  setup: StepSetup,
  sent: readonly Sent[],
): Promise<void> {
  if (sent.length === 0) return;
  const cost = setup.step.costPerMessageMinor;
  const messages = sent.map(({ member, messageId, receipt }) => ({
    id: messageId,
    campaignId: input.campaignId,
    registrationId: member.id,
    customerRef: member.customerRef,
    cohortKey: member.cohortKey,
    stepId: input.stepId,
    channelId: setup.channel.id,
    kind: setup.step.kind,
    costMinor: cost,
    deliveredAt: receipt.deliveredAt,
  }));
  // The cost is attributed to the channel that acquired the customer, not to the one that carried the message:
  // that is what the evaluation compares channels by.
  const ledger =
    cost > 0
      ? sent.map(({ member, messageId, receipt }) =>
          ledgerEntries.message(
            messageId,
            { campaignId: input.campaignId, ...member },
            cost,
            setup.currency,
            new Date(receipt.deliveredAt),
          ),
        )
      : [];
  await setup.slots.run(() =>
    db.$transaction(async (tx) => {
      await insertMessages(tx, messages);
      await insertLedgerEntries(tx, ledger);
    }),
  );
}

/** A channel's failure as Temporal should see it: retryable or not, with a stable type for retry policies. */
async function failureFor(
  db: Db,
  input: CohortStepInput,
  setup: StepSetup,
  error: unknown,
): Promise<unknown> {
  if (!(error instanceof ChannelError)) return error;
  if (!error.retryable) await markStep(db, input, setup.cohort, { status: 'failed', error: error.message });
  return ApplicationFailure.create({
    type: error.type,
    message: `delivering step "${input.stepId}" through ${error.channelCode}: ${error.message}`,
    nonRetryable: !error.retryable,
    details: [{ channelCode: error.channelCode, status: error.status ?? null, code: error.code ?? null }],
  });
}

/**
 * Merges `patch` into the step's entry of the Cohort row's `steps` JSON, creating the row if the cohort
 * workflow has not yet. One statement, merging in SQL, so two steps of a cohort running at once (equal
 * offsets) never overwrite each other's entry, and keys written by others (dueAt) are kept.
 */
async function markStep(
  db: Db,
  input: CohortStepInput,
  cohort: Cohort,
  patch: Record<string, unknown>,
): Promise<void> {
  const entry = JSON.stringify(patch);
  await db.$executeRaw(Prisma.sql`
    INSERT INTO "Cohort" ("campaignId", "cohortKey", "startsAt", "endsAt", "status", "steps", "updatedAt")
    VALUES (${input.campaignId}, ${input.cohortKey},
            (${cohort.start}::timestamptz AT TIME ZONE 'UTC'), (${cohort.end}::timestamptz AT TIME ZONE 'UTC'),
            'running', jsonb_build_object(${input.stepId}::text, ${entry}::jsonb), (now() AT TIME ZONE 'UTC'))
    ON CONFLICT ("campaignId", "cohortKey") DO UPDATE
       SET "steps" = "Cohort"."steps" || jsonb_build_object(
             ${input.stepId}::text, COALESCE("Cohort"."steps" -> ${input.stepId}::text, '{}'::jsonb) || ${entry}::jsonb),
           "updatedAt" = (now() AT TIME ZONE 'UTC')`);
}
