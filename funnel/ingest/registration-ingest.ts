// Registration ingest (domain step 2, acquisition): judges a batch of up to 1,000 registrations and writes
// the accepted ones with their incentive and channel-fee ledger entries in ONE transaction, so a batch is
// a handful of queries rather than 1,000 transactions, and nothing is ever half-written: every item in the
// transaction has already been judged valid, and if the transaction fails nothing of the batch is stored
// (the client's retry is then answered item by item, idempotently by (campaign, customerRef)).
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import type { ParsedItem } from './batch';
import { acquisitionClosedAt, claimBudgetExhaustion } from './budget';
import { insertLedgerEntries, insertRegistrations } from '../../db/bulk-insert';
import type { FunnelCampaign } from './campaign-context';
import { BATCH_TRANSACTION, lockCampaignFunnel } from './campaign-lock';
import { recordChannelExhaustion } from './channel-budget';
import { decideRegistrations, type RegistrationResult } from './registration-decision';
import { lateCohortKeys } from './late-members';
import { lookUpRegistrationFacts } from './registration-lookups';
import type { RegistrationItem } from './registration-schema';

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
}

export class ConcurrentRegistrationError extends Error {}

export async function ingestRegistrations(
  db: Db,
  campaign: FunnelCampaign,
  items: readonly ParsedItem<RegistrationItem>[],
  options: RegistrationIngestOptions = {},
): Promise<RegistrationResult[]> {
  const valid = items.flatMap((item) => (item.value ? [item.value] : []));
  const now = options.now ?? new Date();
  const { results, signal, stored } = await db.$transaction(async (tx) => {
    await lockCampaignFunnel(tx, campaign.id, 'registrations');
    const lookups = await lookUpRegistrationFacts(tx, campaign, valid);
    const decisions = decideRegistrations(items, { campaign, lookups, now, newId: randomUUID });
    const created = await insertRegistrations(tx, decisions.registrations);
    // Every writer holds the lock, so a skipped row means someone wrote around it: refuse the batch
    // rather than answer 'accepted' for a row that is not the one stored.
    if (created !== decisions.registrations.length) {
      throw new ConcurrentRegistrationError(
        'a registration of this batch was written concurrently; retry the batch',
      );
    }
    await insertLedgerEntries(tx, decisions.ledger);
    await recordChannelExhaustion(
      tx,
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
    const signal = exhausted && (await claimBudgetExhaustion(tx, campaign, decisions.spentMinor));
    return { results: decisions.results, signal, stored: decisions.registrations };
  }, BATCH_TRANSACTION);
  if (signal && options.onBudgetExhausted) await options.onBudgetExhausted(campaign);
  // The clock after the commit, not `now`: the batch may have waited for the lock while a cohort closed
  // and its first step read the cohort without these rows (late-members.ts).
  const late = lateCohortKeys(campaign, stored, options.now ?? new Date());
  if (late.length > 0 && options.onLateMembers) await options.onLateMembers(campaign, late);
  return results;
}
