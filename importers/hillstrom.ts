// Importer for the Hillstrom / MineThatData e-mail experiment (hillstrom.csv: 64,000 customers randomly
// split into "Mens E-Mail", "Womens E-Mail" and a "No E-Mail" control, outcomes over two weeks). It
// becomes one imported campaign in USD on one e-mail channel whose control arm is "No E-Mail".
// Mapping (docs/importers.md says why): every customer is a registration of its arm, so that activation
// rate = conversion rate over the whole randomised arm, which is what the experiment measured; a
// conversion is an activation; spend is new-customer-period revenue; a visit is kept as an attribute and
// a 'login' event and reported per arm; cost = e-mails sent (treatment customers) × a stated cost per e-mail.
import { basename } from 'node:path';
import type { Db } from '../db/client';
import { FieldReader } from './fields';
import { writeHistory, type EventSeed, type HistoryRowSeeds, type LedgerSeed } from './history-campaign';
import { withHistoryFile, type HistorySource } from './source';
import { readTable, type RowResult, type ValidationReport } from './table';

export const HILLSTROM_COLUMNS = [
  'recency',
  'history_segment',
  'history',
  'mens',
  'womens',
  'zip_code',
  'newbie',
  'channel',
  'segment',
  'visit',
  'conversion',
  'spend',
] as const;

export const ARMS = ['Mens E-Mail', 'Womens E-Mail', 'No E-Mail'] as const;
export type Arm = (typeof ARMS)[number];
export const CONTROL_ARM: Arm = 'No E-Mail';
const VARIANT_OF: Record<Arm, string> = {
  'Mens E-Mail': 'mens-email',
  'Womens E-Mail': 'womens-email',
  'No E-Mail': 'no-email',
};

export const HILLSTROM_CURRENCY = 'USD';
export const HILLSTROM_CHANNEL = 'hillstrom-email';
/** $0.01 per e-mail sent: an assumed bulk e-mail cost, not in the data. Override with costPerEmailMinor. */
export const DEFAULT_COST_PER_EMAIL_MINOR = 1;
/** The data set has no dates; it was published in March 2008, so its e-mails are dated 2008-03-03 nominally. */
export const NOMINAL_SEND_DATE = '2008-03-03';
/** Outcomes were tracked for two weeks after the e-mail. */
export const HILLSTROM_PERIOD_DAYS = 14;
const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

export interface HillstromImportOptions {
  readonly fileName?: string;
  readonly skipBadRows?: boolean;
  readonly costPerEmailMinor?: number;
  readonly actor?: string;
  /** Rows staged so far, after each batch (progress). */
  readonly onProgress?: (rowsStaged: number) => void | Promise<void>;
}

export interface HillstromRow {
  readonly recency: number;
  readonly historySegment: string;
  readonly historyMinor: number;
  readonly mens: boolean;
  readonly womens: boolean;
  readonly zipCode: string;
  readonly newbie: boolean;
  readonly purchaseChannel: string;
  readonly arm: Arm;
  readonly visit: boolean;
  readonly conversion: boolean;
  readonly spendMinor: number;
}

export function parseHillstromRow(values: Readonly<Record<string, string>>): RowResult<HillstromRow> {
  const read = new FieldReader(values);
  const row: HillstromRow = {
    recency: read.integer('recency', 0, 1000),
    historySegment: read.nonEmpty('history_segment'),
    historyMinor: read.amountMinor('history', HILLSTROM_CURRENCY),
    mens: read.flag('mens'),
    womens: read.flag('womens'),
    zipCode: read.oneOf('zip_code', ['Urban', 'Surburban', 'Rural'] as const),
    newbie: read.flag('newbie'),
    purchaseChannel: read.oneOf('channel', ['Phone', 'Web', 'Multichannel'] as const),
    arm: read.oneOf('segment', ARMS),
    visit: read.flag('visit'),
    conversion: read.flag('conversion'),
    spendMinor: read.amountMinor('spend', HILLSTROM_CURRENCY),
  };
  // The outcome columns nest: spend needs a conversion, a conversion needs a visit.
  if (row.conversion && !row.visit) read.reasons.push('conversion = 1 without a visit');
  if (row.spendMinor > 0 && !row.conversion) read.reasons.push('spend without a conversion');
  return read.reasons.length > 0 ? { ok: false, reasons: read.reasons } : { ok: true, value: row };
}

export interface ArmSummary {
  customers: number;
  visits: number;
  conversions: number;
  spendMinor: number;
  emailsSent: number;
  costMinor: number;
}

export interface HillstromImportSummary {
  readonly source: 'hillstrom';
  readonly campaignId: string;
  readonly alreadyImported: boolean;
  readonly fileSha256: string;
  readonly currency: string;
  readonly costPerEmailMinor: number;
  readonly controlGroup: string;
  readonly validation: ValidationReport;
  readonly byArm: Record<Arm, ArmSummary>;
}

const newArms = () =>
  Object.fromEntries(
    ARMS.map((arm) => [
      arm,
      { customers: 0, visits: 0, conversions: 0, spendMinor: 0, emailsSent: 0, costMinor: 0 },
    ]),
  ) as Record<Arm, ArmSummary>;

/** Imports a hillstrom.csv-shaped file, streamed from a path or a stream (see importers/source.ts). */
export async function importHillstrom(
  db: Db,
  source: HistorySource,
  options: HillstromImportOptions = {},
): Promise<HillstromImportSummary> {
  const fileName = options.fileName ?? (typeof source === 'string' ? source : 'hillstrom.csv');
  const costPerEmailMinor = options.costPerEmailMinor ?? DEFAULT_COST_PER_EMAIL_MINOR;
  if (!Number.isSafeInteger(costPerEmailMinor) || costPerEmailMinor < 0) {
    throw new RangeError(`costPerEmailMinor must be a whole number of cents ≥ 0, not ${costPerEmailMinor}`);
  }
  const parameters = { costPerEmailMinor, currency: HILLSTROM_CURRENCY, nominalSendDate: NOMINAL_SEND_DATE };

  return withHistoryFile(source, async (file) => {
    const fileSha256 = file.sha256;
    const digest = fileSha256.slice(0, 16);
    let report: ValidationReport | undefined;
    let byArm = newArms();

    const { campaignId, alreadyImported } = await writeHistory(
      db,
      {
        history: { source: 'hillstrom', fileName: basename(fileName), fileSha256, parameters },
        currency: HILLSTROM_CURRENCY,
        channels: [
          {
            code: HILLSTROM_CHANNEL,
            name: 'E-mail (Hillstrom MineThatData experiment)',
            kind: 'financial_scenario',
            department: 'e-mail marketing',
            // A cost per e-mail is a CPM: cost per thousand sends.
            costModel: { type: 'cpm', amountMinor: costPerEmailMinor * 1000, currency: HILLSTROM_CURRENCY },
            canShowMaterial: true,
            canDeliverMessages: true,
          },
        ],
        actor: options.actor ?? 'import-history',
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
      async (stage) => {
        // Summaries are per read: a file recognised as imported before is read once more, not staged.
        byArm = newArms();
        let rowsImported = 0;
        report = await readTable(
          file.open(),
          {
            fileName,
            separator: ',',
            columns: HILLSTROM_COLUMNS,
            parseRow: parseHillstromRow,
            skipBadRows: options.skipBadRows ?? false,
          },
          ({ line, value: row }) => {
            rowsImported++;
            return stage(hillstromSeeds(digest, line, row, costPerEmailMinor, byArm[row.arm]));
          },
        );
        const sentAt = new Date(`${NOMINAL_SEND_DATE}T12:00:00Z`);
        return {
          name: 'Hillstrom e-mail experiment (MineThatData 2008, imported)',
          plan: {
            currency: HILLSTROM_CURRENCY,
            timeZone: 'America/New_York',
            registrationWindow: {
              start: `${NOMINAL_SEND_DATE}T00:00:00Z`,
              end: new Date(sentAt.getTime() + 12 * MS_PER_HOUR).toISOString(),
            },
            newCustomerPeriod: `P${HILLSTROM_PERIOD_DAYS}D`,
            cohortGranularity: 'P1D',
            // The experiment held out one customer in three; the arms themselves come from the file.
            controlGroupShare: 1 / 3,
            activationRule: { event: 'transaction', atLeast: 1 },
          },
          history: {
            source: 'hillstrom',
            fileName: basename(fileName),
            fileSha256,
            controlGroup: CONTROL_ARM,
            activationTimesKnown: false,
            parameters,
            rowsImported,
            rowsSkipped: report.rowsSkipped,
          },
        };
      },
    );
    return {
      source: 'hillstrom',
      campaignId,
      alreadyImported,
      fileSha256,
      currency: HILLSTROM_CURRENCY,
      costPerEmailMinor,
      controlGroup: CONTROL_ARM,
      validation: report!,
      byArm,
    };
  });
}

/** One customer's facts; adds them to its arm's summary. */
function hillstromSeeds(
  digest: string,
  line: number,
  row: HillstromRow,
  costPerEmailMinor: number,
  arm: ArmSummary,
): HistoryRowSeeds {
  const sentAt = new Date(`${NOMINAL_SEND_DATE}T12:00:00Z`);
  const periodEndsAt = new Date(sentAt.getTime() + HILLSTROM_PERIOD_DAYS * MS_PER_DAY);
  const customerRef = `hillstrom:${digest}:${line}`;
  const variantKey = VARIANT_OF[row.arm];
  const common = { channelCode: HILLSTROM_CHANNEL, variantKey, cohortKey: NOMINAL_SEND_DATE, customerRef };
  const ledger: LedgerSeed[] = [];
  const events: EventSeed[] = [];
  arm.customers++;
  if (row.arm !== CONTROL_ARM) {
    arm.emailsSent++;
    arm.costMinor += costPerEmailMinor;
    if (costPerEmailMinor > 0) {
      ledger.push({
        ...common,
        id: `${customerRef}:email`,
        kind: 'cost',
        scope: 'acquisition',
        category: 'email',
        amountMinor: costPerEmailMinor,
        occurredAt: sentAt,
      });
    }
  }
  if (row.visit) {
    arm.visits++;
    events.push({
      eventId: `${customerRef}:visit`,
      customerRef,
      type: 'login',
      amountMinor: null,
      occurredAt: new Date(sentAt.getTime() + MS_PER_HOUR),
    });
  }
  if (row.conversion) {
    arm.conversions++;
    arm.spendMinor += row.spendMinor;
    events.push({
      eventId: `${customerRef}:conversion`,
      customerRef,
      type: 'transaction',
      amountMinor: row.spendMinor,
      occurredAt: new Date(sentAt.getTime() + 2 * MS_PER_HOUR),
    });
  }
  if (row.spendMinor > 0) {
    ledger.push({
      ...common,
      id: `${customerRef}:spend`,
      kind: 'revenue',
      scope: 'period',
      category: 'revenue',
      amountMinor: row.spendMinor,
      occurredAt: new Date(sentAt.getTime() + 2 * MS_PER_HOUR),
    });
  }
  return {
    registration: {
      customerRef,
      channelCode: HILLSTROM_CHANNEL,
      variantKey,
      registeredAt: sentAt,
      cohortKey: NOMINAL_SEND_DATE,
      periodEndsAt,
      arm: row.arm,
      // Converted within the two weeks; the day is not in the data.
      activatedAt: row.conversion ? sentAt : null,
      attributes: {
        recency: row.recency,
        historySegment: row.historySegment,
        historyMinor: row.historyMinor,
        mens: row.mens,
        womens: row.womens,
        zipCode: row.zipCode,
        newbie: row.newbie,
        purchaseChannel: row.purchaseChannel,
        visit: row.visit,
      },
    },
    ledger,
    events,
  };
}
