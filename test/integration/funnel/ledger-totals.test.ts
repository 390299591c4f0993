// The ledger's running totals ("LedgerTotal", kept by triggers: migration 20261202400000_ledger_totals)
// equal a recomputation from the entries after every kind of write — bulk inserts with repeats skipped,
// Prisma creates, an update that moves an entry to another key, deletes — and the ingest's budget check
// reads them: a budget that the stored entries have spent refuses the next registration.
import { randomUUID } from 'node:crypto';
import { insertLedgerEntries, type LedgerRow } from '../../../db/bulk-insert';
import { ledgerTotal } from '../../../db/ledger-totals';
import { createTestContext, type TestContext } from '../../support/context';
import { postRegistrations, registration, seedCampaign } from './fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.stop());

const entry = (campaignId: string, over: Partial<LedgerRow> = {}): LedgerRow => ({
  id: `test:${randomUUID()}`,
  campaignId,
  kind: 'cost',
  scope: 'acquisition',
  category: 'registration_incentive',
  channelId: 'ch',
  amountMinor: 500n,
  currency: 'CNY',
  occurredAt: new Date(),
  ...over,
});

async function totalsAndRecomputation(campaignId: string) {
  const [totals, recomputed] = await Promise.all([
    ctx.db.$queryRaw<{ key: string; amount: string; entries: string }[]>`
      SELECT kind || '/' || scope || '/' || currency AS key, "amountMinor"::text AS amount, entries::text AS entries
        FROM "LedgerTotal" WHERE "campaignId" = ${campaignId} AND entries <> 0 ORDER BY 1`,
    ctx.db.$queryRaw<{ key: string; amount: string; entries: string }[]>`
      SELECT kind || '/' || scope || '/' || currency AS key, sum("amountMinor")::text AS amount, count(*)::text AS entries
        FROM "LedgerEntry" WHERE "campaignId" = ${campaignId} GROUP BY 1 ORDER BY 1`,
  ]);
  return { totals, recomputed };
}

it('equals the sum of the entries after inserts, skipped repeats, creates, updates and deletes', async () => {
  const campaignId = randomUUID();
  const first = [
    entry(campaignId),
    entry(campaignId, { amountMinor: 700n }),
    entry(campaignId, {
      kind: 'revenue',
      scope: 'period',
      category: 'revenue',
      amountMinor: 9_007_199_254_740_991n,
    }),
    entry(campaignId, {
      kind: 'revenue',
      scope: 'period',
      category: 'revenue',
      amountMinor: 9_007_199_254_740_991n,
    }),
  ];
  expect(await insertLedgerEntries(ctx.db, first)).toBe(4);
  // A repeat of the batch (a retried write) is skipped by the primary key and must not count again.
  expect(
    await insertLedgerEntries(ctx.db, [...first, entry(campaignId, { currency: 'USD', amountMinor: 3n })]),
  ).toBe(1);
  await ctx.db.ledgerEntry.create({
    data: entry(campaignId, { scope: 'period', category: 'message', amountMinor: 8n }),
  });
  let state = await totalsAndRecomputation(campaignId);
  expect(state.totals).toEqual(state.recomputed);
  expect(await ledgerTotal(ctx.db, { campaignId, kind: 'cost', scope: 'acquisition', currency: 'CNY' })).toBe(
    1200n,
  );
  expect(await ledgerTotal(ctx.db, { campaignId, kind: 'cost' })).toBe(1211n);
  // Beyond 2^53 and summed exactly.
  expect(await ledgerTotal(ctx.db, { campaignId, kind: 'revenue' })).toBe(18_014_398_509_481_982n);

  // A correction moves an entry to another scope and changes its amount; a delete takes one out.
  await ctx.db.ledgerEntry.update({
    where: { id: (first[1] as LedgerRow).id },
    data: { scope: 'period', amountMinor: 70n },
  });
  await ctx.db.ledgerEntry.delete({ where: { id: (first[2] as LedgerRow).id } });
  state = await totalsAndRecomputation(campaignId);
  expect(state.totals).toEqual(state.recomputed);
  expect(await ledgerTotal(ctx.db, { campaignId, kind: 'cost', scope: 'acquisition', currency: 'CNY' })).toBe(
    500n,
  );
  expect(await ledgerTotal(ctx.db, { campaignId, kind: 'revenue' })).toBe(9_007_199_254_740_991n);
  expect(await ledgerTotal(ctx.db, { campaignId: randomUUID(), kind: 'revenue' })).toBe(0n);

  await ctx.db.ledgerEntry.deleteMany({ where: { campaignId } });
  state = await totalsAndRecomputation(campaignId);
  expect(state.recomputed).toEqual([]);
  expect(state.totals).toEqual([]);
});

it('closes acquisition on what the stored entries have spent (the budget check reads the totals)', async () => {
  const campaign = await seedCampaign(ctx.db, { plan: { acquisitionBudgetMinor: 1_000 } });
  const first = registration(campaign);
  expect((await postRegistrations(ctx.app, campaign.id, first)).status).toBe(201);
  // Spending recorded outside the ingest (e.g. a delivery report's fee) counts against the cap too.
  await insertLedgerEntries(ctx.db, [entry(campaign.id, { amountMinor: 400n, category: 'delivery_fee' })]);
  expect(
    await ledgerTotal(ctx.db, {
      campaignId: campaign.id,
      kind: 'cost',
      scope: 'acquisition',
      currency: 'CNY',
    }),
  ).toBe(900n);
  const refused = await postRegistrations(ctx.app, campaign.id, registration(campaign));
  expect(refused.status).toBe(422);
  expect(refused.body.errors).toEqual([expect.objectContaining({ reason: 'budget_exhausted' })]);
});
