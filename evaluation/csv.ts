// CSV export of report rows (per channel, per material, per cohort) for spreadsheets: RFC 4180
// (CRLF line ends, fields quoted when they hold a quote, comma, CR or LF; quotes doubled), a header
// row, money as integer minor units and as major-unit decimals side by side.
import { formatMajor } from '../domain/money';
import type { MoneyRatioValue, RatioValue, SegmentMetrics } from './types';

/** Quotes one field only when RFC 4180 requires it, so plain numbers stay plain. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Renders records (the first usually the header) as RFC 4180 text, each record ended by CRLF. */
export function renderCsv(records: readonly (readonly string[])[]): string {
  return records.map((record) => `${record.map(csvField).join(',')}\r\n`).join('');
}

export const CSV_COLUMNS = [
  'dimension',
  'key',
  'currency',
  'placements',
  'impressions',
  'clicks',
  'registrationsStarted',
  'registrationsValid',
  'registrationsFlagged',
  'activated',
  'controlRegistrations',
  'controlActivated',
  'registrationsPerPlacement',
  'clickThroughRate',
  'registrationsPerClick',
  'startsPerClick',
  'registrationsPerStart',
  'activationRate',
  'acquisitionCostMinor',
  'acquisitionCostMajor',
  'periodCostMinor',
  'periodCostMajor',
  'totalCostMinor',
  'totalCostMajor',
  'revenueMinor',
  'revenueMajor',
  'cacMinor',
  'cacMajor',
  'aacMinor',
  'aacMajor',
  'revenuePerCustomerMinor',
  'revenuePerCustomerMajor',
  'lroi',
  'roi',
  'timeToActivateMedianSeconds',
  'timeToActivateP90Seconds',
  'mature',
  'undefinedReasons',
  // Appended last, so that readers of the earlier columns by position are not disturbed.
  'registrationsFraudFlagged',
  'fraudRate',
] as const;

// An undefined ratio is an empty cell (so spreadsheets don't read it as 0); its reason goes in the
// undefinedReasons column as "name:reason" pairs.
function ratioCell(value: RatioValue): string {
  return value.defined ? value.value : '';
}

function moneyRatioCells(value: MoneyRatioValue): [string, string] {
  return value.defined ? [value.minor, value.major] : ['', ''];
}

function undefinedReasons(row: SegmentMetrics): string {
  const named: [string, RatioValue | MoneyRatioValue][] = [
    ['registrationsPerPlacement', row.registrationsPerPlacement],
    ['clickThroughRate', row.clickThroughRate],
    ['registrationsPerClick', row.registrationsPerClick],
    ['startsPerClick', row.startsPerClick],
    ['registrationsPerStart', row.registrationsPerStart],
    ['activationRate', row.activationRate],
    ['cac', row.cac],
    ['aac', row.aac],
    ['revenuePerCustomer', row.revenuePerCustomer],
    ['lroi', row.lroi],
    ['roi', row.roi],
  ];
  return named.flatMap(([name, value]) => (value.defined ? [] : [`${name}:${value.reason}`])).join(';');
}

function record(row: SegmentMetrics): string[] {
  const { funnel, costs } = row;
  return [
    row.dimension,
    row.key,
    row.revenue.currency,
    funnel.placements === null ? '' : String(funnel.placements),
    funnel.impressions === null ? '' : String(funnel.impressions),
    funnel.clicks === null ? '' : String(funnel.clicks),
    funnel.registrationsStarted === null ? '' : String(funnel.registrationsStarted),
    String(funnel.registrationsValid),
    String(funnel.registrationsFlagged),
    String(funnel.activated),
    String(funnel.controlRegistrations),
    String(funnel.controlActivated),
    ratioCell(row.registrationsPerPlacement),
    ratioCell(row.clickThroughRate),
    ratioCell(row.registrationsPerClick),
    ratioCell(row.startsPerClick),
    ratioCell(row.registrationsPerStart),
    ratioCell(row.activationRate),
    String(costs.acquisition.minor),
    formatMajor(costs.acquisition),
    String(costs.period.minor),
    formatMajor(costs.period),
    String(costs.total.minor),
    formatMajor(costs.total),
    String(row.revenue.minor),
    formatMajor(row.revenue),
    ...moneyRatioCells(row.cac),
    ...moneyRatioCells(row.aac),
    ...moneyRatioCells(row.revenuePerCustomer),
    ratioCell(row.lroi),
    ratioCell(row.roi),
    row.timeToActivate === null ? '' : String(row.timeToActivate.medianSeconds),
    row.timeToActivate === null ? '' : String(row.timeToActivate.p90Seconds),
    row.mature === null ? '' : String(row.mature),
    undefinedReasons(row),
    String(funnel.registrationsFraudFlagged),
    ratioCell(row.fraudRate),
  ];
}

/** The per-channel, per-material or per-cohort table (or any rows of a report) as CSV with a header. */
export function toCsv(rows: readonly SegmentMetrics[]): string {
  return renderCsv([[...CSV_COLUMNS], ...rows.map(record)]);
}
