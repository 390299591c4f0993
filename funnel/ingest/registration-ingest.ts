// Registration ingest (domain step 2, acquisition): judges a batch of up to 1,000 registrations and writes
// the accepted ones with their incentive and channel-fee ledger entries in ONE transaction, so a batch is
// a handful of queries rather than 1,000 transactions, and nothing is ever half-written: every item in the
// transaction has already been judged valid, and if the transaction fails nothing of the batch is stored
// (the client's retry is then answered item by item, idempotently by (campaign, customerRef)). The
// registrations are written before the campaign's lock and the decision made again under it
// (provisional-write.ts): the lock is held for the ledger and the commit, not for the inserts.
import { randomUUID } from 'node:crypto';
import { pgPoolOf, type Db } from '../../db/client';
import type { ParsedItem } from './batch';
import { acquisitionClosedAt } from './budget';
import type { FunnelCampaign } from './campaign-context';
import { decidePrepared, prepareRegistrations, type RegistrationResult } from './registration-decision';
import { lateCohortKeys } from './late-members';
import { reconcile } from './provisional-write';
import { ConcurrentWriteError } from './campaign-lock';
import {
  claimBudgetExhaustion,
  deleteRegistrations,
  inPgTransaction,
  lockFunnel,
  lookUpLockedFacts,
  lookUpUnlockedFacts,
  retryableOnTimeout,
  recordChannelExhaustion,
  writeRegistrationsAndLedger,
} from './registration-sql';
import type { RegistrationItem } from './registration-schema';

/** The steps of a batch, in order, as scripts/bench/ingest-profile.ts times them. */
export const INGEST_STEPS = [
  'unlockedLookups',
  'prepare',
  'firstLookups',
  'firstDecide',
  'firstWrite',
  'lock',
  'lockedLookups',
  'decide',
  'write',
  'budget',
  'commit',
] as const;
export type IngestStep = (typeof INGEST_STEPS)[number];

export interface RegistrationIngestOptions {
  /** The server's clock, for refusing registrations dated in the future. */
  now?: Date;
  /**
   * Called once per campaign, after the commit that found the budget spent: tells the campaign workflow to
   * close acquisition. Its failure (e.g. the workflow has already ended) is the caller's to ignore.
   */
  onBudgetExhausted?: (campaign: FunnelCampaign) => Promise<void>;
  /**
   * Called after the commit with the closed cohorts that got new members (late-members.ts): tells their
   * cohort workflows to run their past steps for them. Its failure is the caller's to log.
   */
  onLateMembers?: (campaign: FunnelCampaign, cohortKeys: string[]) => Promise<void>;
  /** Wraps each step (the benchmark's timer); the steps run as they are without it. */
  step?: <T>(name: IngestStep, run: () => Promise<T>) => Promise<T>;
}

export async function ingestRegistrations(
  db: Db,
  campaign: FunnelCampaign,
  items: readonly ParsedItem<RegistrationItem>[],
  options: RegistrationIngestOptions = {},
): Promise<RegistrationResult[]> {
  const valid = items.flatMap((item) => (item.value ? [item.value] : []));
  const now = options.now ?? new Date();
  const step = options.step ?? ((_name, run) => run());
  const { results, signal, stored } = await inPgTransaction(
    pgPoolOf(db),
    async (client) => {
      // Before the lock: what its holders never write, so another batch of the campaign can hold it now.
      const unlocked = await step('unlockedLookups', () => lookUpUnlockedFacts(client, campaign, valid));
      // The pure part of the judgement that the locked facts do not change (refusals, attribution, arm,
      // cohort, period end) is done here too, so the lock is held only for what depends on them.
      const prepared = await step('prepare', () =>
        Promise.resolve(prepareRegistrations(items, { campaign, lookups: unlocked, now })),
      );
      // The registrations before the lock, as decided on the locked facts as they stand now: their
      // inserts, indexes and rollup triggers are most of a batch's write, and the next batch's decision
      // does not depend on them until this one commits (provisional-write.ts). Uncommitted, no other
      // transaction sees them; a concurrent batch with one of these customers waits for this one.
      const first = await step('firstLookups', () => lookUpLockedFacts(client, campaign, valid));
      const ids = new Map<string, string>();
      const newId = (customerRef: string) => {
        const id = ids.get(customerRef) ?? randomUUID();
        ids.set(customerRef, id);
        return id;
      };
      const provisional = await step('firstDecide', () =>
        Promise.resolve(
          decidePrepared(prepared, { campaign, lookups: { ...unlocked, ...first }, now, newId }),
        ),
      );
      const written = await step('firstWrite', async () => {
        const stored = await writeRegistrationsAndLedger(client, provisional.registrations, []);
        return new Map(provisional.registrations.filter((r) => stored.has(r.id)).map((r) => [r.id, r]));
      });

      await step('lock', () => lockFunnel(client, campaign.id, 'registrations'));
      // The decision that counts, on every batch committed before the lock was granted; this
      // transaction's own rows are left out of the facts it reads.
      const locked = await step('lockedLookups', () => lookUpLockedFacts(client, campaign, valid, written));
      const lookups = { ...unlocked, ...locked };
      const decisions = await step('decide', () =>
        Promise.resolve(decidePrepared(prepared, { campaign, lookups, now, newId })),
      );
      const { remove, add } = reconcile(written, decisions.registrations);
      const created = await step('write', async () => {
        await deleteRegistrations(client, remove);
        return writeRegistrationsAndLedger(client, add, decisions.ledger);
      });
      // A row the lock's holders would have had to write around (the decision under the lock saw none
      // for this customer, yet one is stored): refuse the batch rather than answer 'accepted' for a row
      // that is not the one stored (the throw rolls back).
      if (created.size !== add.length) {
        throw new ConcurrentWriteError(
          'a registration of this batch was written concurrently; retry the batch',
        );
      }
      const signal = await step('budget', async () => {
        await recordChannelExhaustion(
          client,
          campaign,
          [...decisions.channelsRefused].flatMap((channelId) => {
            const budget = lookups.channelBudgets.get(channelId);
            const channel = [...campaign.channels.values()].find((c) => c.channelId === channelId);
            return budget && channel ? [{ channelId, channelCode: channel.channelCode, ...budget }] : [];
          }),
        );
        const exhausted =
          campaign.plan.acquisitionBudgetMinor !== null &&
          (decisions.budgetRefused || acquisitionClosedAt(campaign, decisions.spentMinor));
        return exhausted && (await claimBudgetExhaustion(client, campaign, decisions.spentMinor));
      });
      return { results: decisions.results, signal, stored: decisions.registrations };
    },
    (commit) => step('commit', commit),
  ).catch(retryableOnTimeout('registrations'));
  if (signal && options.onBudgetExhausted) await options.onBudgetExhausted(campaign);
  // The clock after the commit, not `now`: the batch may have waited for the lock while a cohort closed
  // and its first step read the cohort without these rows (late-members.ts).
  const late = lateCohortKeys(campaign, stored, options.now ?? new Date());
  if (late.length > 0 && options.onLateMembers) await options.onLateMembers(campaign, late);
  return results;
}
