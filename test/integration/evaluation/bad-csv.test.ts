// Bad history files: wrong headers, bad rows, invalid UTF-8 and impossible dates are reported with the
// lines and reasons, and nothing at all is imported — unless bad rows are skipped on request, in which
// case the rest is imported and the report says how many rows were left out.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { BANK_COLUMNS, importBankMarketing } from '../../../importers/bank-marketing';
import { historyWorkflowId } from '../../../importers/history-campaign';
import { HILLSTROM_COLUMNS, importHillstrom } from '../../../importers/hillstrom';
import { ImportFileError, ImportValidationError } from '../../../importers/table';
import { createTestContext, type TestContext } from '../../support/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

const hillstromRow = (segment: string, spend = '0', extra = '') =>
  `10,"2) $100 - $200${extra}",142.44,1,0,Surburban,0,Phone,${segment},${spend === '0' ? 0 : 1},${spend === '0' ? 0 : 1},${spend}`;
const bankRow = (fields: Partial<Record<(typeof BANK_COLUMNS)[number], string>> = {}) => {
  const row = {
    age: '58',
    job: '"management"',
    marital: '"married"',
    education: '"tertiary"',
    default: '"no"',
    balance: '2143',
    housing: '"yes"',
    loan: '"no"',
    contact: '"unknown"',
    day: '5',
    month: '"may"',
    duration: '261',
    campaign: '1',
    pdays: '-1',
    previous: '0',
    poutcome: '"unknown"',
    y: '"no"',
    ...fields,
  };
  return BANK_COLUMNS.map((column) => row[column]).join(';');
};
const bankHeader = BANK_COLUMNS.map((c) => `"${c}"`).join(';');

async function importedCampaign(source: string, bytes: Uint8Array) {
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  return ctx.db.campaign.findUnique({ where: { workflowId: historyWorkflowId({ source, fileSha256 }) } });
}

describe('history files that fail validation', () => {
  it('names the missing and unexpected columns of a wrong header', async () => {
    const header = [...HILLSTROM_COLUMNS.filter((c) => c !== 'spend'), 'amount'].join(',');
    const bytes = Buffer.from(`${header}\n${hillstromRow('No E-Mail')}\n`);
    const error = await importHillstrom(ctx.db, Readable.from([bytes]), {
      fileName: 'wrong-header.csv',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ missingColumns: ['spend'], unexpectedColumns: ['amount'] });
    expect((error as Error).message).toMatch(/missing column\(s\) "spend"; unexpected column\(s\) "amount"/);
    expect(await importedCampaign('hillstrom', bytes)).toBeNull();
  });

  it('lists every bad row with its line and reasons, and imports nothing', async () => {
    const lines = [
      bankHeader,
      bankRow(),
      bankRow({ age: 'abc', job: '"astronaut"' }), // line 3: two reasons
      bankRow({ y: '"maybe"' }), // line 4
      `${bankRow()};"extra"`, // line 5: a field too many
      bankRow({ job: 'manage"ment' }), // line 6: a bare quote
      bankRow({ month: '"jun"', day: '31' }), // line 7: 31 June does not exist
      bankRow({ month: '"jun"' }),
    ];
    const bytes = Buffer.from(lines.join('\n'));
    const error = await importBankMarketing(ctx.db, Readable.from([bytes]), {
      fileName: 'bad-rows.csv',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportValidationError);
    const { report } = error as ImportValidationError;
    expect(report).toMatchObject({ fileName: 'bad-rows.csv', rowsRead: 7, rowsValid: 2, rowsSkipped: 0 });
    expect(report.problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7]);
    expect(report.problems[0]!.reasons).toEqual([
      'age "abc" is not a whole number',
      expect.stringMatching(/^job "astronaut" is not one of admin\., unknown/),
    ]);
    expect(report.problems[2]!.reasons).toEqual(['has 18 field(s), the header has 17']);
    expect(report.problems[3]!.reasons[0]).toMatch(/a quote inside unquoted field 2/);
    expect(report.problems[4]!.reasons).toEqual(['day 31 does not exist in 2008-06']);
    expect((error as Error).message).toMatch(/5 of 7 rows are invalid, so nothing was imported/);
    expect(await importedCampaign('bank-marketing', bytes)).toBeNull();
  });

  it('reports the line that is not UTF-8, and imports the rest when asked to skip bad rows', async () => {
    const header = Buffer.from(`${HILLSTROM_COLUMNS.join(',')}\r\n`);
    const bytes = Buffer.concat([
      Buffer.from('\ufeff'), // a byte-order mark, as spreadsheets write it
      header,
      Buffer.from(`${hillstromRow('Mens E-Mail', '29.99')}\r\n`),
      Buffer.from(`${hillstromRow('No E-Mail')}\r\n`).subarray(0, 20),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${hillstromRow('No E-Mail')}\r\n`).subarray(20),
      Buffer.from(`${hillstromRow('Womens E-Mail', '12.5', ' \u00e9t\u00e9')}\r\n`), // valid UTF-8 outside ASCII
      Buffer.from(`${hillstromRow('Nobody E-Mail')}\r\n`),
    ]);
    const error = await importHillstrom(ctx.db, Readable.from([bytes]), { fileName: 'latin1.csv' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportValidationError);
    const { report } = error as ImportValidationError;
    expect(report.problems).toEqual([
      { line: 3, reasons: ['line 3 is not valid UTF-8 (save the file as UTF-8)'] },
      { line: 5, reasons: [expect.stringMatching(/^segment "Nobody E-Mail" is not one of/)] },
    ]);
    expect(await importedCampaign('hillstrom', bytes)).toBeNull();

    const summary = await importHillstrom(ctx.db, Readable.from([bytes]), {
      fileName: 'latin1.csv',
      skipBadRows: true,
    });
    expect(summary.validation).toMatchObject({ rowsRead: 4, rowsValid: 2, rowsSkipped: 2 });
    const registrations = await ctx.db.registration.findMany({
      where: { campaignId: summary.campaignId },
      orderBy: { customerRef: 'asc' },
    });
    expect(registrations.map((r) => r.arm)).toEqual(['Mens E-Mail', 'Womens E-Mail']);
    expect(registrations[1]!.attributes).toMatchObject({ historySegment: '2) $100 - $200 été' });
    expect(summary.byArm['Womens E-Mail']).toMatchObject({ conversions: 1, spendMinor: 1250 });
  });

  it('refuses an empty file and a file with a header only', async () => {
    await expect(importHillstrom(ctx.db, Readable.from([Buffer.alloc(0)]))).rejects.toThrow(
      /the file is empty/,
    );
    await expect(
      importHillstrom(ctx.db, Readable.from([Buffer.from(`${HILLSTROM_COLUMNS.join(',')}\n`)])),
    ).rejects.toThrow(/has a header but no rows/);
  });
});
