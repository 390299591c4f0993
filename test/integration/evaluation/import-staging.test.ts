// History imports are all or nothing although they are written in batches as they are read: the rows are
// staged under a campaign marked 'importing' that no read path shows, and become visible at once at the
// end. An import interrupted half-way (a failing hook, a malformed row with skipBadRows off) leaves no
// visible campaign and no facts; a leftover of a process that died is dropped by the next import; a
// second import of the same file while one runs is refused; and a rerun imports exactly the rows of an
// uninterrupted import.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BULK_CHUNK_ROWS } from '../../../db/bulk-insert';
import { IMPORTING_STATUS, VISIBLE_CAMPAIGN } from '../../../db/visible-campaigns';
import { importBankMarketing } from '../../../importers/bank-marketing';
import { historyWorkflowId, ImportConflictError } from '../../../importers/history-campaign';
import { ImportValidationError } from '../../../importers/table';
import { createTestContext, type TestContext } from '../../support/context';
import { sharedDataFile } from '../../support/shared-data';

const UNIT_COST = 500;
// Three batches: enough to interrupt after the first and to put a bad row after the second.
const ROWS = 2 * BULK_CHUNK_ROWS + 2_000;

let ctx: TestContext;
let dir: string;
let file: string;
let badFile: string;
let digest: string;
let expectedContacts = 0;

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  dir = mkdtempSync(path.join(tmpdir(), 'import-staging-'));
  const [header, ...lines] = readFileSync(sharedDataFile('bank-full.csv'), 'utf8').split('\n');
  const rows = lines.slice(0, ROWS);
  const columns = header!.split(';').map((c) => c.replaceAll('"', ''));
  const campaign = columns.indexOf('campaign');
  for (const row of rows) expectedContacts += Number(row.split(';')[campaign]);
  file = path.join(dir, 'bank-head.csv');
  writeFileSync(file, `${[header, ...rows].join('\n')}\n`);
  // The same rows with one malformed row after two full batches (line 2 + 2 × BULK_CHUNK_ROWS + 100).
  const bad = [...rows];
  bad.splice(2 * BULK_CHUNK_ROWS + 99, 0, '58;"management";"married"');
  badFile = path.join(dir, 'bank-bad.csv');
  writeFileSync(badFile, `${[header, ...bad].join('\n')}\n`);
  digest = createHash('sha256').update(readFileSync(file)).digest('hex');
}, 120_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await ctx.stop();
});

/** Everything this file's import could have left behind, visible or staged. */
async function traces(sha256: string) {
  const prefix = `bank-marketing:${sha256.slice(0, 16)}:`;
  return {
    visible: await ctx.db.campaign.count({
      where: {
        ...VISIBLE_CAMPAIGN,
        workflowId: historyWorkflowId({ source: 'bank-marketing', fileSha256: sha256 }),
      },
    }),
    staging: await ctx.db.campaign.count({ where: { status: IMPORTING_STATUS } }),
    registrations: await ctx.db.registration.count({ where: { customerRef: { startsWith: prefix } } }),
    ledger: await ctx.db.ledgerEntry.count({ where: { customerRef: { startsWith: prefix } } }),
  };
}
const nothing = { visible: 0, staging: 0, registrations: 0, ledger: 0 };

describe('a staged history import', () => {
  it('leaves nothing, visible or staged, when interrupted half-way by a failing hook', async () => {
    const seen: { rowsStaged: number; staged: number; listed: number }[] = [];
    const error = await importBankMarketing(ctx.db, file, {
      unitCostMinor: UNIT_COST,
      onProgress: async (rowsStaged) => {
        // The positive signal: a batch is in the database, under a campaign that no list shows.
        const staging = await ctx.db.campaign.findFirstOrThrow({ where: { status: IMPORTING_STATUS } });
        seen.push({
          rowsStaged,
          staged: await ctx.db.registration.count({ where: { campaignId: staging.id } }),
          listed: await ctx.db.campaign.count({ where: { ...VISIBLE_CAMPAIGN, id: staging.id } }),
        });
        throw new Error('interrupted');
      },
    }).catch((err: unknown) => err);
    expect((error as Error).message).toBe('interrupted');
    expect(seen).toEqual([{ rowsStaged: BULK_CHUNK_ROWS, staged: BULK_CHUNK_ROWS, listed: 0 }]);
    expect(await traces(digest)).toEqual(nothing);
  });

  it('leaves nothing when a malformed row comes after two staged batches (skipBadRows off)', async () => {
    const progress: number[] = [];
    const error = await importBankMarketing(ctx.db, badFile, {
      unitCostMinor: UNIT_COST,
      onProgress: (rowsStaged) => {
        progress.push(rowsStaged);
      },
    }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ImportValidationError);
    expect((error as ImportValidationError).report.problems).toEqual([
      { line: 2 * BULK_CHUNK_ROWS + 101, reasons: ['has 3 field(s), the header has 17'] },
    ]);
    // Two batches were written before the bad row was read; none after it.
    expect(progress).toEqual([BULK_CHUNK_ROWS, 2 * BULK_CHUNK_ROWS]);
    const badDigest = createHash('sha256').update(readFileSync(badFile)).digest('hex');
    expect(await traces(badDigest)).toEqual(nothing);
  });

  it('drops the staged rows of an import whose process died, and imports exactly the uninterrupted rows', async () => {
    // What a killed process leaves: a staging campaign with no progress for a long time, and facts with
    // the ids the import will write again (which would otherwise collide with them).
    const workflowId = historyWorkflowId({ source: 'bank-marketing', fileSha256: digest });
    const leftover = await ctx.db.campaign.create({
      data: {
        name: 'bank-head.csv (importing)',
        status: IMPORTING_STATUS,
        plan: {},
        currency: 'EUR',
        workflowId: `importing:${workflowId}:dead`,
        origin: 'imported',
        createdBy: 'import-history',
      },
    });
    const firstRef = `bank-marketing:${digest.slice(0, 16)}:2`;
    await ctx.db.ledgerEntry.create({
      data: {
        id: `${firstRef}:contacts`,
        campaignId: leftover.id,
        kind: 'cost',
        scope: 'acquisition',
        category: 'phone_contact',
        channelId: 'gone',
        customerRef: firstRef,
        amountMinor: 1n,
        currency: 'EUR',
        occurredAt: new Date(),
      },
    });
    await ctx.db
      .$executeRaw`UPDATE "Campaign" SET "updatedAt" = now() - interval '1 hour' WHERE id = ${leftover.id}`;

    // While an import runs, a second import of the same file is refused rather than racing it.
    let refusal: unknown;
    const summary = await importBankMarketing(ctx.db, file, {
      unitCostMinor: UNIT_COST,
      onProgress: async (rowsStaged) => {
        if (rowsStaged === BULK_CHUNK_ROWS)
          refusal = await importBankMarketing(ctx.db, file, { unitCostMinor: UNIT_COST }).catch(
            (err: unknown) => err,
          );
      },
    });
    expect(refusal).toBeInstanceOf(ImportConflictError);
    expect((refusal as Error).message).toMatch(/is being imported now/);

    expect(summary).toMatchObject({
      alreadyImported: false,
      validation: { rowsRead: ROWS, rowsValid: ROWS },
    });
    expect(await ctx.db.campaign.findUnique({ where: { id: leftover.id } })).toBeNull();
    expect(await traces(digest)).toEqual({ visible: 1, staging: 0, registrations: ROWS, ledger: ROWS });
    const refs = await ctx.db.registration.findMany({
      where: { campaignId: summary.campaignId },
      select: { customerRef: true },
    });
    expect(new Set(refs.map((r) => r.customerRef))).toEqual(
      new Set(Array.from({ length: ROWS }, (_, i) => `bank-marketing:${digest.slice(0, 16)}:${i + 2}`)),
    );
    const cost = await ctx.db.ledgerEntry.aggregate({
      where: { campaignId: summary.campaignId },
      _sum: { amountMinor: true },
    });
    expect(cost._sum.amountMinor).toBe(BigInt(expectedContacts * UNIT_COST));
    const campaign = await ctx.db.campaign.findUniqueOrThrow({ where: { id: summary.campaignId } });
    expect(campaign).toMatchObject({ status: 'completed', origin: 'imported', workflowId });
    expect(await ctx.db.campaignChannel.count({ where: { campaignId: summary.campaignId } })).toBe(
      Object.keys(summary.byChannel).length,
    );

    // And the file is recognised as imported: nothing is written twice.
    const again = await importBankMarketing(ctx.db, file, { unitCostMinor: UNIT_COST });
    expect(again).toMatchObject({
      campaignId: summary.campaignId,
      alreadyImported: true,
      byChannel: summary.byChannel,
    });
    expect(await traces(digest)).toEqual({ visible: 1, staging: 0, registrations: ROWS, ledger: ROWS });
  }, 180_000);
});
