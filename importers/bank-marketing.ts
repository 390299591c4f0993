// Importer for the UCI "Bank Marketing" data (bank-full.csv: a Portuguese bank's phone campaigns,
// May 2008 – Nov 2010, one row per contacted client). It becomes one imported campaign in EUR:
// - one channel per `contact` value (bank-phone-cellular / -telephone / -unknown), created if missing;
// - one registration per client (arm 'treatment'), activated when y = "yes" (subscribed a term deposit);
// - acquisition cost = contacts in this campaign (`campaign` column) × a stated unit cost per contact.
// The file has day and month but no year; rows are in date order, so the year starts at `firstYear`
// and advances whenever the month goes backwards. See docs/importers.md for every choice.
import { basename } from 'node:path';
import type { Db } from '../db/client';
import { ageBandOf } from '../profiles/audience-keys';
import { FieldReader } from './fields';
import { writeHistory, type ChannelSeed, type HistoryRowSeeds, type LedgerSeed } from './history-campaign';
import { withHistoryFile, type HistorySource } from './source';
import { readTable, type RowResult, type ValidationReport } from './table';

export const BANK_COLUMNS = [
  'age',
  'job',
  'marital',
  'education',
  'default',
  'balance',
  'housing',
  'loan',
  'contact',
  'day',
  'month',
  'duration',
  'campaign',
  'pdays',
  'previous',
  'poutcome',
  'y',
] as const;

const JOBS = [
  'admin.',
  'unknown',
  'unemployed',
  'management',
  'housemaid',
  'entrepreneur',
  'student',
  'blue-collar',
  'self-employed',
  'retired',
  'technician',
  'services',
] as const;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const YES_NO = ['yes', 'no'] as const;
export const CONTACTS = ['cellular', 'telephone', 'unknown'] as const;

export const BANK_CURRENCY = 'EUR';
/** €5.00 per contact attempt: an assumed call-centre cost, not in the data. Override with unitCostMinor. */
export const DEFAULT_UNIT_COST_MINOR = 500;
export const BANK_PERIOD_DAYS = 30;
const MS_PER_DAY = 86_400_000;

export interface BankImportOptions {
  readonly fileName?: string;
  readonly skipBadRows?: boolean;
  /** Cost of one contact in euro cents. */
  readonly unitCostMinor?: number;
  /** The year of the first row (bank-full.csv starts in May 2008). */
  readonly firstYear?: number;
  readonly actor?: string;
  /** Rows staged so far, after each batch (progress). */
  readonly onProgress?: (rowsStaged: number) => void | Promise<void>;
}

export interface BankRow {
  readonly age: number;
  readonly job: string;
  readonly marital: string;
  readonly education: string;
  readonly balanceMinor: number;
  readonly housing: boolean;
  readonly loan: boolean;
  readonly contact: (typeof CONTACTS)[number];
  readonly day: number;
  readonly month: number;
  readonly contacts: number;
  readonly subscribed: boolean;
}

export function channelCodeFor(contact: string): string {
  return `bank-phone-${contact}`;
}

export function parseBankRow(values: Readonly<Record<string, string>>): RowResult<BankRow> {
  const read = new FieldReader(values);
  const row: BankRow = {
    age: read.integer('age', 0, 130),
    job: read.oneOf('job', JOBS),
    marital: read.oneOf('marital', ['married', 'divorced', 'single'] as const),
    education: read.oneOf('education', ['unknown', 'secondary', 'primary', 'tertiary'] as const),
    // Balances are whole euros in the file; stored in cents like every amount.
    balanceMinor: read.integer('balance', -1e12, 1e12) * 100,
    housing: read.oneOf('housing', YES_NO) === 'yes',
    loan: read.oneOf('loan', YES_NO) === 'yes',
    contact: read.oneOf('contact', CONTACTS),
    day: read.integer('day', 1, 31),
    month: MONTHS.indexOf(read.oneOf('month', MONTHS)) + 1,
    contacts: read.integer('campaign', 1, 1000),
    subscribed: read.oneOf('y', YES_NO) === 'yes',
  };
  // Columns the import does not store are still checked, so that a shifted or corrupt row is caught.
  read.oneOf('default', YES_NO);
  read.integer('duration', 0, 1e7);
  read.integer('pdays', -1, 1e5);
  read.integer('previous', 0, 1e5);
  read.oneOf('poutcome', ['unknown', 'other', 'failure', 'success'] as const);
  return read.reasons.length > 0 ? { ok: false, reasons: read.reasons } : { ok: true, value: row };
}

export interface BankImportSummary {
  readonly source: 'bank-marketing';
  readonly campaignId: string;
  readonly alreadyImported: boolean;
  readonly fileSha256: string;
  readonly currency: string;
  readonly unitCostMinor: number;
  readonly validation: ValidationReport;
  readonly firstDate: string;
  readonly lastDate: string;
  readonly byChannel: Record<
    string,
    { clients: number; subscribed: number; contacts: number; costMinor: number }
  >;
}

const isoDate = (year: number, month: number, day: number) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** The bank row parser plus the check across rows: the date, whose year the file leaves out. */
function datingParser(firstYear: number) {
  // The year advances when the month goes backwards (the file is in date order); a day that the month
  // does not have (31 June) makes the row bad. Only rows whose fields are valid take part, as they did
  // when the dates were checked in a second pass.
  let year = firstYear;
  let previousMonth = 0;
  return (values: Readonly<Record<string, string>>): RowResult<{ row: BankRow; date: string }> => {
    const parsed = parseBankRow(values);
    if (!parsed.ok) return parsed;
    const row = parsed.value;
    if (row.month < previousMonth) year++;
    previousMonth = row.month;
    const date = isoDate(year, row.month, row.day);
    if (new Date(`${date}T00:00:00Z`).getUTCDate() !== row.day)
      return { ok: false, reasons: [`day ${row.day} does not exist in ${date.slice(0, 7)}`] };
    return { ok: true, value: { row, date } };
  };
}

function bankChannel(contact: string, unitCostMinor: number): ChannelSeed {
  return {
    code: channelCodeFor(contact),
    name: `Bank phone campaign — ${contact}`,
    kind: 'financial_scenario',
    department: 'telemarketing',
    costModel: { type: 'cpc', amountMinor: unitCostMinor, currency: BANK_CURRENCY },
    canShowMaterial: false,
    canDeliverMessages: false,
  };
}

/** Imports a bank-full.csv-shaped file, streamed from a path or a stream (see importers/source.ts). */
export async function importBankMarketing(
  db: Db,
  source: HistorySource,
  options: BankImportOptions = {},
): Promise<BankImportSummary> {
  const fileName = options.fileName ?? (typeof source === 'string' ? source : 'bank-full.csv');
  const skipBadRows = options.skipBadRows ?? false;
  const unitCostMinor = options.unitCostMinor ?? DEFAULT_UNIT_COST_MINOR;
  if (!Number.isSafeInteger(unitCostMinor) || unitCostMinor < 0) {
    throw new RangeError(`unitCostMinor must be a whole number of cents ≥ 0, not ${unitCostMinor}`);
  }
  const firstYear = options.firstYear ?? 2008;
  const parameters = { unitCostMinor, firstYear, currency: BANK_CURRENCY };

  return withHistoryFile(source, async (file) => {
    const fileSha256 = file.sha256;
    const digest = fileSha256.slice(0, 16);
    let validation: ValidationReport | undefined;
    let first: string | undefined;
    let last: string | undefined;
    let byChannel: BankImportSummary['byChannel'] = {};

    const { campaignId, alreadyImported } = await writeHistory(
      db,
      {
        history: { source: 'bank-marketing', fileName: basename(fileName), fileSha256, parameters },
        currency: BANK_CURRENCY,
        channels: CONTACTS.map((contact) => bankChannel(contact, unitCostMinor)),
        actor: options.actor ?? 'import-history',
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
      async (stage) => {
        // Summaries are per read: a file recognised as imported before is read once more, not staged.
        byChannel = {};
        first = undefined;
        let rowsImported = 0;
        validation = await readTable(
          file.open(),
          { fileName, separator: ';', columns: BANK_COLUMNS, parseRow: datingParser(firstYear), skipBadRows },
          ({ line, value: { row, date } }) => {
            first ??= date;
            last = date;
            rowsImported++;
            const seeds = bankSeeds(digest, line, row, date, unitCostMinor);
            const totals = (byChannel[seeds.registration.channelCode] ??= {
              clients: 0,
              subscribed: 0,
              contacts: 0,
              costMinor: 0,
            });
            totals.clients++;
            totals.subscribed += row.subscribed ? 1 : 0;
            totals.contacts += row.contacts;
            totals.costMinor += row.contacts * unitCostMinor;
            return stage(seeds);
          },
        );
        const nextDay = new Date(new Date(`${last!}T00:00:00Z`).getTime() + MS_PER_DAY).toISOString();
        return {
          name: `Bank Marketing phone campaigns ${first!} – ${last!} (imported)`,
          plan: {
            currency: BANK_CURRENCY,
            timeZone: 'Europe/Lisbon',
            registrationWindow: { start: `${first!}T00:00:00Z`, end: nextDay },
            newCustomerPeriod: `P${BANK_PERIOD_DAYS}D`,
            cohortGranularity: 'P1D',
            activationRule: { event: 'product_purchase', atLeast: 1 },
          },
          history: {
            source: 'bank-marketing',
            fileName: basename(fileName),
            fileSha256,
            controlGroup: null,
            activationTimesKnown: false,
            parameters,
            rowsImported,
            rowsSkipped: validation.rowsSkipped,
          },
        };
      },
    );
    return {
      source: 'bank-marketing',
      campaignId,
      alreadyImported,
      fileSha256,
      currency: BANK_CURRENCY,
      unitCostMinor,
      validation: validation!,
      firstDate: first!,
      lastDate: last!,
      byChannel,
    };
  });
}

function bankSeeds(
  digest: string,
  line: number,
  row: BankRow,
  date: string,
  unitCostMinor: number,
): HistoryRowSeeds {
  const customerRef = `bank-marketing:${digest}:${line}`;
  const channelCode = channelCodeFor(row.contact);
  // Noon UTC keeps the calendar day the same in Lisbon (UTC+0/+1), the campaign's time zone.
  const registeredAt = new Date(`${date}T12:00:00Z`);
  const costMinor = row.contacts * unitCostMinor;
  const ageBand = ageBandOf(row.age);
  const ledger: LedgerSeed[] =
    costMinor > 0
      ? [
          {
            id: `${customerRef}:contacts`,
            kind: 'cost',
            scope: 'acquisition',
            category: 'phone_contact',
            channelCode,
            variantKey: 'term-deposit-call',
            cohortKey: date,
            customerRef,
            amountMinor: costMinor,
            occurredAt: registeredAt,
          },
        ]
      : [];
  return {
    registration: {
      customerRef,
      channelCode,
      variantKey: 'term-deposit-call',
      registeredAt,
      cohortKey: date,
      periodEndsAt: new Date(registeredAt.getTime() + BANK_PERIOD_DAYS * MS_PER_DAY),
      arm: 'treatment',
      // The file says whether the client subscribed, not when: the contact day stands in for it.
      activatedAt: row.subscribed ? registeredAt : null,
      attributes: {
        age: row.age,
        ...(ageBand ? { ageBand } : {}),
        job: row.job,
        marital: row.marital,
        education: row.education,
        balanceMinor: row.balanceMinor,
        housing: row.housing,
        loan: row.loan,
      },
    },
    ledger,
    events: [],
  };
}
