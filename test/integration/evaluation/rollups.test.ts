// The evaluation rollups against a recomputation from the facts, on real PostgreSQL: after bulk writes,
// late facts (a registration after its revenue, a late activation), a fraud flag, a cost correction, deletes
// and parallel writers, the rollups equal the facts key for key, and the evaluation input read from them
// equals the one the fact scan gives. The check command finds a tampered rollup and its repair mends it.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BULK_CHUNK_ROWS } from '../../../db/bulk-insert';
import { importBankMarketing } from '../../../importers/bank-marketing';
import { sharedDataFile } from '../../support/shared-data';
import { correctCost } from '../../../funnel/ingest/cost-correction';
import { flagRegistration } from '../../../funnel/ingest/fraud-flag-ingest';
import { checkRollups } from '../../../evaluation/rollups';
import { runRollupsCommand } from '../../../evaluation/rollups-command';
import { loadFactsSnapshot } from '../../../evaluation/store';
import { createTestContext, type TestContext } from '../../support/context';
import { seedCampaign, type SeededCampaign } from './seed';

let ctx: TestContext;
let seeded: SeededCampaign;

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  seeded = await seedCampaign(ctx.db, { seed: 13, registrations: 240 });
});
afterAll(() => ctx.stop());

/** Rollups equal the facts: no key differs, and the evaluation reads the same input from both. */
async function expectRollupsEqualFacts(campaignId: string) {
  expect(await checkRollups(ctx.db, campaignId)).toEqual([]);
  const now = new Date();
  const fromRollups = await loadFactsSnapshot(ctx.db, campaignId, now, 'rollups');
  const fromFacts = await loadFactsSnapshot(ctx.db, campaignId, now, 'facts');
  expect(fromRollups).toEqual(fromFacts);
  return fromRollups;
}

const bucket = (
  input: Awaited<ReturnType<typeof expectRollupsEqualFacts>>['input'],
  customer: { channelId: string; variantKey: string; cohortKey: string; arm: string },
) =>
  input.registrations.find(
    (b) =>
      b.channelId === customer.channelId &&
      b.materialVariant === customer.variantKey &&
      b.cohortKey === customer.cohortKey &&
      b.group === customer.arm,
  );

it('equals the facts after bulk writes (createMany of registrations and the ledger)', async () => {
  const facts = await expectRollupsEqualFacts(seeded.campaignId);
  expect(facts.input.registrations.length).toBeGreaterThan(4);
  expect(facts.input.timeToActivate.length).toBeGreaterThan(0);
});

it('stays right for late facts: a registration after its revenue, and a late activation', async () => {
  const { campaignId } = seeded;
  const template = seeded.registrations.find(
    (r) => r.flagReason === null && r.activationDelaySeconds === null,
  )!;
  // Revenue booked under a customer the campaign does not know yet (an import, a hand-made entry) …
  await ctx.db.ledgerEntry.create({
    data: {
      id: `revenue:late-${randomUUID()}`,
      campaignId,
      kind: 'revenue',
      scope: 'period',
      category: 'revenue',
      channelId: template.channelId,
      variantKey: template.variantKey,
      cohortKey: template.cohortKey,
      customerRef: 'late-customer',
      amountMinor: 4_321n,
      currency: 'CNY',
      occurredAt: new Date(),
    },
  });
  const before = await expectRollupsEqualFacts(campaignId);
  expect(before.excludedRevenue.withoutRegistrationMinor).toBeGreaterThanOrEqual(4_321);
  // … then its registration arrives, already activated: the revenue moves into its bucket.
  const registeredAt = new Date(template.registeredAt.getTime() + 1_000);
  await ctx.db.registration.create({
    data: {
      campaignId,
      customerRef: 'late-customer',
      channelId: template.channelId,
      variantKey: template.variantKey,
      cohortKey: template.cohortKey,
      arm: template.arm,
      registeredAt,
      periodEndsAt: new Date(registeredAt.getTime() + 86_400_000),
      activatedAt: new Date(registeredAt.getTime() + 777_000),
    },
  });
  const after = await expectRollupsEqualFacts(campaignId);
  expect(after.excludedRevenue.withoutRegistrationMinor).toBe(
    before.excludedRevenue.withoutRegistrationMinor - 4_321,
  );
  expect(bucket(after.input, template)!.periodRevenueMinor).toBe(
    bucket(before.input, template)!.periodRevenueMinor + 4_321,
  );
  // A late activation of a registration that had none.
  await ctx.db.registration.update({
    where: { campaignId_customerRef: { campaignId, customerRef: template.customerRef } },
    data: { activatedAt: new Date(template.registeredAt.getTime() + 3_600_000) },
  });
  const activated = await expectRollupsEqualFacts(campaignId);
  expect(bucket(activated.input, template)!.activated).toBe(bucket(after.input, template)!.activated + 1);
});

it('stays right after a fraud flag and a cost correction', async () => {
  const { campaignId } = seeded;
  const victim = seeded.registrations.find(
    (r) => r.flagReason === null && r.activationDelaySeconds !== null,
  )!;
  const before = await expectRollupsEqualFacts(campaignId);
  await flagRegistration(ctx.db, {
    campaignId,
    customerRef: victim.customerRef,
    reason: 'fake_identity',
    actor: 'test',
    // Inside the channel's post-attribution window (seeded registrations are months old).
    now: new Date(victim.registeredAt.getTime() + 86_400_000),
  });
  const flagged = await expectRollupsEqualFacts(campaignId);
  // The flagged customer left its bucket with its activation and its revenue.
  expect(bucket(flagged.input, victim)!.registrations).toBe(bucket(before.input, victim)!.registrations - 1);
  expect(flagged.excludedRevenue.flaggedRegistrationsMinor).toBeGreaterThan(
    before.excludedRevenue.flaggedRegistrationsMinor,
  );
  const placement = await ctx.db.placement.findFirstOrThrow({
    where: { campaignId, publishedAt: { not: null } },
  });
  // The fee as the publishing activity books it (the seed's entries carry test-only ids).
  await ctx.db.ledgerEntry.create({
    data: {
      id: `fee:${placement.id}`,
      campaignId,
      kind: 'cost',
      scope: 'acquisition',
      category: 'placement_fee',
      channelId: placement.channelId,
      variantKey: placement.variantKey,
      amountMinor: 20_000n,
      currency: 'CNY',
      occurredAt: new Date(),
    },
  });
  const booked = await expectRollupsEqualFacts(campaignId);
  await correctCost(ctx.db, {
    campaignId,
    target: { type: 'placement_fee', placementId: placement.id },
    amountMinor: -5_000,
    currency: 'CNY',
    reason: 'the channel restated its fee',
    actor: 'test',
    now: new Date(),
  });
  const corrected = await expectRollupsEqualFacts(campaignId);
  const fee = (input: typeof corrected.input) =>
    input.costs
      .filter((c) => c.category === 'placement_fee' && c.channelId === placement.channelId)
      .reduce((sum, c) => sum + c.amountMinor, 0);
  expect(fee(booked.input)).toBe(fee(flagged.input) + 20_000);
  expect(fee(corrected.input)).toBe(fee(booked.input) - 5_000);
});

it('stays right when registrations and entries are deleted (the last period end included)', async () => {
  const { campaignId } = seeded;
  // The registrations with the latest period end of a cohort go, with their ledger entries.
  const last = await ctx.db.registration.findMany({
    where: { campaignId, cohortKey: 'c1' },
    orderBy: { periodEndsAt: 'desc' },
    take: 3,
  });
  const refs = last.map((r) => r.customerRef);
  await ctx.db.ledgerEntry.deleteMany({ where: { campaignId, customerRef: { in: refs } } });
  await ctx.db.registration.deleteMany({ where: { id: { in: last.map((r) => r.id) } } });
  await expectRollupsEqualFacts(campaignId);
});

it('nets the time-to-activate histogram over writers when one holds a removal', async () => {
  const { campaignId } = seeded;
  // One writer's +1,000 and another's −1,000 for one value: the sums are unchanged, but counting the
  // positive row as it stands would move every percentile to that value; the negative row makes the
  // evaluation net per value first.
  await ctx.db.$executeRaw`
    INSERT INTO "ActivationTimeRollup" ("campaignId", "channelId", "variantKey", "cohortKey", seconds, writer, activations)
    SELECT "campaignId", "channelId", "variantKey", "cohortKey", seconds, w.writer, w.activations
    FROM (SELECT * FROM "ActivationTimeRollup" WHERE "campaignId" = ${campaignId} AND activations > 0
          ORDER BY seconds LIMIT 1) r,
         (VALUES (-11, 1000), (-12, -1000)) AS w(writer, activations)`;
  await expectRollupsEqualFacts(campaignId);
});

it('keeps parallel writers apart (no lost update, no deadlock) and the check command mends a tampered rollup', async () => {
  const other = await seedCampaign(ctx.db, { seed: 14, registrations: 30, channelIds: seeded.channelIds });
  const template = other.registrations[0]!;
  // Eight transactions at once, each writing registrations and revenue into the same buckets.
  await Promise.all(
    Array.from({ length: 8 }, (_, t) =>
      ctx.db.$transaction(async (tx) => {
        const refs = Array.from({ length: 20 }, (_, i) => `parallel-${t}-${i}`);
        await tx.registration.createMany({
          data: refs.map((customerRef, i) => ({
            campaignId: other.campaignId,
            customerRef,
            channelId: template.channelId,
            variantKey: template.variantKey,
            cohortKey: template.cohortKey,
            arm: template.arm,
            registeredAt: template.registeredAt,
            periodEndsAt: new Date(template.registeredAt.getTime() + 86_400_000),
            activatedAt: new Date(template.registeredAt.getTime() + (i + 1) * 1_000),
          })),
        });
        await tx.ledgerEntry.createMany({
          data: refs.map((customerRef) => ({
            id: `revenue:${customerRef}`,
            campaignId: other.campaignId,
            kind: 'revenue',
            scope: 'period',
            category: 'revenue',
            channelId: template.channelId,
            variantKey: template.variantKey,
            cohortKey: template.cohortKey,
            customerRef,
            amountMinor: 100n,
            currency: 'CNY',
            occurredAt: new Date(),
          })),
        });
      }),
    ),
  );
  const facts = await expectRollupsEqualFacts(other.campaignId);
  const seededInBucket = other.registrations.filter(
    (r) =>
      r.flagReason === null &&
      r.channelId === template.channelId &&
      r.variantKey === template.variantKey &&
      r.cohortKey === template.cohortKey &&
      r.arm === template.arm,
  ).length;
  expect(bucket(facts.input, template)!.registrations).toBe(seededInBucket + 160);

  // Tamper with one rollup row: the check names the key and fails; --repair mends it and folds writers.
  await ctx.db.$executeRaw`
    UPDATE "FunnelRollup" SET registrations = registrations + 5
    WHERE ctid = (SELECT ctid FROM "FunnelRollup" WHERE "campaignId" = ${other.campaignId} AND registrations > 0 LIMIT 1)`;
  const lines: string[] = [];
  expect(await runRollupsCommand(ctx.db, ['--campaign', other.campaignId], (l) => lines.push(l))).toBe(1);
  expect(lines.join('\n')).toMatch(/FunnelRollup .*registrations: facts \d+, rollups \d+/);
  lines.length = 0;
  expect(
    await runRollupsCommand(ctx.db, ['--campaign', other.campaignId, '--repair'], (l) => lines.push(l)),
  ).toBe(0);
  expect(lines.at(-1)).toMatch(/rollups equal the facts/);
  const writers = await ctx.db.$queryRaw<{ keys: bigint; rows: bigint }[]>`
    SELECT count(DISTINCT ("channelId", "variantKey", "cohortKey", arm, "flagReason")) AS keys, count(*) AS rows
    FROM "FunnelRollup" WHERE "campaignId" = ${other.campaignId}`;
  expect(writers[0]!.rows).toBe(writers[0]!.keys);
  await expectRollupsEqualFacts(other.campaignId);
  // Bad arguments are refused before anything is read.
  expect(await runRollupsCommand(ctx.db, ['--campaign'], () => undefined)).toBe(2);
  expect(await runRollupsCommand(ctx.db, ['--campaign', 'nope-404'], () => undefined)).toBe(2);
});

it('is right for an imported history (rows copied from the staging table) and for an interrupted import', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rollups-import-'));
  try {
    const [header, ...lines] = readFileSync(sharedDataFile('bank-full.csv'), 'utf8').split('\n');
    // Two batches: an interruption after the first leaves staged rows to be deleted.
    const file = path.join(dir, 'bank-head.csv');
    writeFileSync(file, `${[header, ...lines.slice(0, BULK_CHUNK_ROWS + 500)].join('\n')}\n`);
    let stagedCampaign: string | undefined;
    const interrupted = await importBankMarketing(ctx.db, file, {
      onProgress: async () => {
        stagedCampaign ??= (await ctx.db.campaign.findFirstOrThrow({ where: { status: 'importing' } })).id;
        throw new Error('interrupted');
      },
    }).catch((err: unknown) => err);
    expect(interrupted).toBeInstanceOf(Error);
    // The staged facts were deleted: nothing of them is left in the rollups either.
    const left = await ctx.db.$queryRaw<{ registrations: bigint | null }[]>`
      SELECT sum(registrations)::bigint AS registrations FROM "FunnelRollup" WHERE "campaignId" = ${stagedCampaign}`;
    expect(Number(left[0]?.registrations ?? 0)).toBe(0);
    const summary = await importBankMarketing(ctx.db, file);
    const facts = await expectRollupsEqualFacts(summary.campaignId);
    expect(facts.input.registrations.reduce((n, b) => n + b.registrations, 0)).toBeGreaterThan(
      BULK_CHUNK_ROWS,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
