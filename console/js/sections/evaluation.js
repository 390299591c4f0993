// The evaluation section (GET /campaigns/:id/evaluation): per-channel AAC, CAC and LROI as three bar
// charts plus a data table, or — with no report yet — the offer to compute a provisional one
// (POST /campaigns/:id/evaluation); above the charts, the control-group lift (sections/lift.js).
import { barChart } from '../chart.js';
import { h } from '../dom.js';
import {
  formatCount,
  formatMajorDecimal,
  formatMinor,
  formatPercent,
  formatRatio,
  formatTime,
} from '../format.js';
import { label, t } from '../i18n.js';
import { renderLift } from './lift.js';

function undefinedText(ratio) {
  return t('undefinedValue', { reason: label('reason', ratio.reason) });
}

function moneyBar(key, labelText, ratio) {
  if (!ratio?.defined) return { key, label: labelText, value: null, display: undefinedText(ratio ?? {}) };
  return {
    key,
    label: labelText,
    // The length only: the text and data-value keep the exact decimal.
    value: Number(ratio.major),
    display: formatMajorDecimal(ratio.major, ratio.currency),
    exact: ratio.major,
  };
}

function ratioBar(key, labelText, ratio) {
  if (!ratio?.defined) return { key, label: labelText, value: null, display: undefinedText(ratio ?? {}) };
  return {
    key,
    label: labelText,
    value: Number(ratio.value),
    display: formatRatio(ratio.value),
    exact: ratio.value,
  };
}

const moneyCell = (ratio) =>
  ratio?.defined ? formatMajorDecimal(ratio.major, ratio.currency) : undefinedText(ratio ?? {});
const ratioCell = (ratio) => (ratio?.defined ? formatRatio(ratio.value) : undefinedText(ratio ?? {}));
const percentCell = (ratio) => (ratio?.defined ? formatPercent(ratio.value) : undefinedText(ratio ?? {}));

/**
 * @param evaluation the API's evaluation view, or null when there is none yet
 * @param channels the campaign's allocations ({ channelId, channel: { code, name } }): report rows are
 *   keyed by channel id, people read codes
 * @param computeButton the "compute provisional evaluation" button (kept by the page across refreshes)
 */
export function renderEvaluation(evaluation, channels, computeButton) {
  if (!evaluation) {
    return [h('p', { class: 'muted', id: 'no-evaluation' }, t('noEvaluation')), h('p', {}, computeButton)];
  }
  const report = evaluation.report;
  const codeOf = new Map(channels.map((c) => [c.channelId, c.channel?.code ?? c.channelId]));
  const nameOf = new Map(channels.map((c) => [c.channelId, c.channel?.name ?? '']));
  // Registrations credited to no channel have a row of their own (docs/api/evaluation.md, "Attribution").
  const unattributedId = report.attribution?.unattributedChannelId ?? 'unattributed';
  codeOf.set(unattributedId, t('unattributedChannel'));
  // Channels by code, the unattributed row (no channel) after them.
  const rows = [...report.byChannel].sort(
    (a, b) =>
      Number(a.key === unattributedId) - Number(b.key === unattributedId) ||
      (codeOf.get(a.key) ?? a.key).localeCompare(codeOf.get(b.key) ?? b.key),
  );
  const codes = rows.map((row) => codeOf.get(row.key) ?? row.key);

  const charts = [
    barChart({
      id: 'aac-chart',
      title: t('aacChart'),
      bars: rows.map((row, i) => ({ ...moneyBar(codes[i], codes[i], row.aac), tone: 'primary' })),
    }),
    barChart({
      id: 'cac-chart',
      title: t('cacChart'),
      bars: rows.map((row, i) => ({ ...moneyBar(codes[i], codes[i], row.cac), tone: 'info' })),
    }),
    barChart({
      id: 'lroi-chart',
      title: t('lroiChart'),
      bars: rows.map((row, i) => ({ ...ratioBar(codes[i], codes[i], row.lroi), tone: 'success' })),
    }),
  ];

  const tableRow = (headerText, subText, row) =>
    h(
      'tr',
      {},
      h(
        'th',
        { scope: 'row' },
        headerText,
        subText ? h('span', { class: 'muted small block' }, subText) : null,
      ),
      h('td', { class: 'num', dataset: { column: 'clickThrough' } }, percentCell(row.clickThroughRate)),
      h('td', { class: 'num' }, formatCount(row.funnel.registrationsValid)),
      h('td', { class: 'num' }, formatCount(row.funnel.activated)),
      h(
        'td',
        { class: 'num', dataset: { column: 'fraudRate' } },
        row.fraudRate ? percentCell(row.fraudRate) : '—',
      ),
      h('td', { class: 'num' }, formatMinor(row.costs.acquisition.minor, row.costs.acquisition.currency)),
      h('td', { class: 'num' }, moneyCell(row.cac)),
      h('td', { class: 'num' }, moneyCell(row.aac)),
      h('td', { class: 'num' }, ratioCell(row.lroi)),
      h('td', { class: 'num' }, ratioCell(row.roi)),
    );

  return [
    h(
      'div',
      { class: 'section-tools' },
      h(
        'p',
        { class: 'muted small', id: 'evaluation-meta' },
        t('reportMeta', {
          version: evaluation.version,
          status: label('status', evaluation.status),
          time: formatTime(evaluation.computedAt),
        }),
      ),
      computeButton,
    ),
    report.attribution
      ? h(
          'p',
          { class: 'muted small', id: 'evaluation-attribution' },
          t('evaluationAttributionLine', {
            rule: label('attributionRule', report.attribution.rule),
            windows: report.attribution.windows
              .map((w) => `${w.channelCode} ${w.clickThroughWindow} / ${w.viewThroughWindow}`)
              .join(' · '),
          }),
        )
      : null,
    renderLift(report),
    h('div', { class: 'chart-stack' }, charts),
    h(
      'details',
      { id: 'evaluation-table' },
      h('summary', {}, t('dataTable')),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data compact' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [
                'colChannel',
                'colClickThrough',
                'colValid',
                'colActivated',
                'colFraudRate',
                'colAcqCost',
                'colCac',
                'colAac',
                'colLroi',
                'colRoi',
              ].map((key) => h('th', { scope: 'col' }, t(key))),
            ),
          ),
          h(
            'tbody',
            {},
            rows.map((row, i) => tableRow(codes[i], nameOf.get(row.key), row)),
            tableRow(t('overall'), null, report.overall),
          ),
        ),
      ),
    ),
  ];
}
