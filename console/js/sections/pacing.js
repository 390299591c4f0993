// The pacing section of a campaign (GET /campaigns/:id/pacing): each channel's cap review by review (an
// ECharts step line: budget per channel over time), the current cap and spend per channel, the adjustment
// facts with their reasons, and — for the roles that may, while acquisition is open and pacing is
// adaptive — freeze / unfreeze behind a confirmation dialog (POST /campaigns/:id/pacing/freeze|unfreeze).
import { post } from '../api.js';
import { confirmDialog } from '../dialog.js';
import { announce, dataTable, h } from '../dom.js';
import { drawEchart } from '../echarts-chart.js';
import { formatMinor, formatPercent, formatTime } from '../format.js';
import { label, t } from '../i18n.js';
import { may } from '../session.js';

/** Minor units → major units for the chart's scale only (the tables keep the exact amounts). */
const major = (minor, currency) => Number(minor) / (currency === 'JPY' || currency === 'KRW' ? 1 : 100);

/** One series per channel: its cap after each review, carried forward over reviews that did not list it. */
function capSeries(adjustments, currency) {
  const reviews = [...new Set(adjustments.map((a) => a.reviewIndex))].sort((a, b) => a - b);
  const byChannel = new Map();
  for (const a of adjustments) {
    const code = a.channelCode ?? a.channelId;
    if (!byChannel.has(code)) byChannel.set(code, new Map());
    byChannel.get(code).set(a.reviewIndex, a.toMinor);
  }
  const series = [...byChannel.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([code, caps]) => {
      let last = null;
      const data = reviews.map((r) => {
        if (caps.has(r)) last = caps.get(r);
        return last === null ? null : major(last, currency);
      });
      return { name: code, type: 'line', step: 'end', data, symbolSize: 6 };
    });
  return { reviews, series };
}

let disposeChart = () => {};

function chart(view) {
  const container = h('div', { class: 'echart', id: 'pacing-chart' });
  // The history is newest first; the chart reads it oldest first.
  const { reviews, series } = capSeries([...view.adjustments.items].reverse(), view.currency);
  disposeChart();
  queueMicrotask(() => {
    disposeChart = drawEchart(container, {
      grid: { left: 80, right: 30, top: 40, bottom: 50 },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: reviews.map(String),
        name: t('pacingChartX'),
        nameLocation: 'middle',
        nameGap: 30,
      },
      yAxis: {
        type: 'value',
        min: 0,
        name: t('pacingChartY', { currency: view.currency }),
        nameLocation: 'middle',
        nameGap: 60,
      },
      series,
    });
  });
  return h(
    'figure',
    { class: 'chart-figure', id: 'pacing-chart-figure' },
    h('figcaption', {}, t('pacingChartTitle')),
    container,
  );
}

function channelTable(view) {
  return dataTable(
    {
      id: 'pacing-channels',
      caption: t('pacingTableCaption'),
      columns: [t('pacingColChannel'), t('pacingColCap'), t('pacingColSpent'), t('pacingColUsed')],
    },
    view.channels.map((c) =>
      h(
        'tr',
        { 'data-channel': c.channelCode },
        h('th', { scope: 'row' }, c.channelCode),
        h(
          'td',
          { class: 'num' },
          c.capMinor === null ? t('pacingNoCap') : formatMinor(c.capMinor, view.currency),
        ),
        h('td', { class: 'num' }, formatMinor(c.spentMinor, view.currency)),
        h('td', { class: 'num' }, c.capMinor ? formatPercent((c.spentMinor / c.capMinor).toFixed(6)) : '—'),
      ),
    ),
  );
}

function historyTable(view) {
  return dataTable(
    {
      id: 'pacing-history',
      caption: t('pacingHistoryCaption'),
      columns: [
        t('pacingColReview'),
        t('pacingColChannel'),
        t('pacingColChange'),
        t('pacingColReason'),
        t('pacingColActor'),
        t('pacingColAt'),
      ],
    },
    view.adjustments.items.map((a) =>
      h(
        'tr',
        { class: a.toMinor === a.fromMinor ? 'muted' : '' },
        h('td', { class: 'num' }, String(a.reviewIndex)),
        h('td', {}, a.channelCode ?? a.channelId),
        h(
          'td',
          { class: 'num' },
          `${formatMinor(a.fromMinor, view.currency)} → ${formatMinor(a.toMinor, view.currency)}`,
        ),
        h('td', {}, a.reason),
        h('td', {}, a.actor === 'pacing' ? t('pacingActorSystem') : a.actor),
        h('td', {}, formatTime(a.at)),
      ),
    ),
  );
}

function steeringButton({ campaignId, frozen, onDone }) {
  const action = frozen ? 'unfreeze' : 'freeze';
  const button = h(
    'button',
    { type: 'button', class: 'secondary', id: `pacing-${action}` },
    t(frozen ? 'pacingUnfreeze' : 'pacingFreeze'),
  );
  button.addEventListener('click', async () => {
    const confirmed = await confirmDialog({
      id: `confirm-pacing-${action}`,
      title: t(frozen ? 'pacingUnfreezeTitle' : 'pacingFreezeTitle'),
      body: t(frozen ? 'pacingUnfreezeBody' : 'pacingFreezeBody'),
      confirmLabel: t(frozen ? 'pacingUnfreeze' : 'pacingFreeze'),
      onConfirm: (reason) => post(`/campaigns/${campaignId}/pacing/${action}`, reason ? { reason } : {}),
    });
    if (!confirmed) return;
    announce(t(frozen ? 'pacingUnfrozenDone' : 'pacingFrozenDone'));
    await onDone();
  });
  return button;
}

/**
 * @param view GET /campaigns/:id/pacing
 * @param campaign GET /campaigns/:id (its live workflow state says whether acquisition is open)
 */
export function renderPacing(view, campaign, { campaignId, onDone }) {
  if (!view.mode) {
    disposeChart();
    return [h('p', { class: 'muted', id: 'no-pacing' }, t('pacingNone'))];
  }
  const mode = label('pacingMode', view.mode); // labels shared with the builder's plan card (messages/planning.js)
  const budget =
    view.budgetMinor === null ? t('pacingNoBudget') : formatMinor(view.budgetMinor, view.currency);
  const summary =
    view.mode === 'adaptive'
      ? t('pacingSummary', { mode, budget, every: view.reviewEvery })
      : t('pacingSummaryFixed', { mode, budget });
  const state = campaign?.workflow?.state;
  const steerable =
    view.mode === 'adaptive' &&
    campaign?.workflow?.status === 'RUNNING' &&
    state?.acquisitionOpen === true &&
    may('POST', `/campaigns/:id/pacing/${view.frozen ? 'unfreeze' : 'freeze'}`);
  const frozen = view.frozen
    ? h(
        'p',
        { class: 'notice', id: 'pacing-frozen', role: 'status' },
        view.frozenBy?.reason
          ? t('pacingFrozen', { by: view.frozenBy.by, reason: view.frozenBy.reason })
          : t('pacingFrozenNoReason', { by: view.frozenBy?.by ?? '?' }),
      )
    : null;
  return [
    h(
      'div',
      { class: 'pacing-head' },
      h('p', { id: 'pacing-summary' }, summary),
      steerable ? steeringButton({ campaignId, frozen: view.frozen, onDone }) : null,
    ),
    frozen,
    chart(view),
    channelTable(view),
    h('h3', {}, t('pacingHistoryTitle')),
    historyTable(view),
  ];
}
