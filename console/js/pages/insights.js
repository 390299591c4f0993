// Insights (#/insights): which channels bring ACTIVE customers cheapest across the last N evaluated
// campaigns (GET /evaluations/channels), as a table sortable by any column (AAC first: the API's own
// order and rank) and a bar chart of AAC per channel in the order shown. Sorting compares exact
// rationals (BigInt cross-multiplication), never rounded money; undefined values always sort last.
import { get } from '../api.js';
import { barChart } from '../chart.js';
import { h, swap } from '../dom.js';
import { drawEchart } from '../echarts-chart.js';
import { formatCount, formatMajorDecimal, formatMinor, formatPercent } from '../format.js';
import { hashQuery } from '../routes.js';
import { label, t } from '../i18n.js';

const COLUMNS = [
  { key: 'rank', label: 'colRank', read: (r) => (r.rank === null ? null : { n: BigInt(r.rank), d: 1n }) },
  { key: 'channel', label: 'colChannel', text: (r) => r.channelCode ?? r.channelId },
  { key: 'campaigns', label: 'colCampaigns', read: (r) => ({ n: BigInt(r.campaigns), d: 1n }) },
  { key: 'registrations', label: 'colValid', read: (r) => ({ n: BigInt(r.registrations), d: 1n }) },
  { key: 'activated', label: 'colActivated', read: (r) => ({ n: BigInt(r.activated), d: 1n }) },
  { key: 'activationRate', label: 'colActivationRate', read: (r) => exact(r.activationRate) },
  {
    key: 'acquisitionCost',
    label: 'colAcqCost',
    read: (r) => ({ n: BigInt(r.acquisitionCost.minor), d: 1n }),
  },
  { key: 'cac', label: 'colCac', read: (r) => exact(r.cac) },
  { key: 'aac', label: 'colAac', read: (r) => exact(r.aac) },
];

function exact(ratio) {
  if (!ratio?.defined) return null;
  return { n: BigInt(ratio.exact.numerator), d: BigInt(ratio.exact.denominator) };
}

/** Exact comparison of two rationals (denominators positive); nulls last whatever the direction. */
export function compareRows(column, direction) {
  return (a, b) => {
    if (column.text) {
      const order = column.text(a).localeCompare(column.text(b));
      return direction === 'asc' ? order : -order;
    }
    const x = column.read(a);
    const y = column.read(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const left = x.n * y.d;
    const right = y.n * x.d;
    const order = left < right ? -1 : left > right ? 1 : 0;
    return direction === 'asc' ? order : -order;
  };
}

const moneyCell = (ratio) =>
  ratio?.defined
    ? formatMajorDecimal(ratio.major, ratio.currency)
    : t('undefinedValue', { reason: label('reason', ratio?.reason) });
const rateCell = (ratio) =>
  ratio?.defined
    ? formatPercent(ratio.value)
    : t('undefinedValue', { reason: label('reason', ratio?.reason) });

export function insightsPage(main) {
  const query = hashQuery();
  const options = {
    lastCampaigns: query.get('lastCampaigns') ?? '10',
    currency: query.get('currency') ?? 'CNY',
    includeProvisional: query.get('includeProvisional') === 'true',
  };
  let sort = { key: 'aac', direction: 'asc' };
  let data = null;
  let error = null;
  let disposeScatter = () => undefined;

  const heading = h('h1', { id: 'page-title' });
  const intro = h('p', { class: 'muted' });
  const controls = h('form', { class: 'filters', id: 'insights-options' });
  const body = h('div', { id: 'insights-body', 'aria-busy': 'true' });

  async function load() {
    const params = new URLSearchParams({
      lastCampaigns: options.lastCampaigns,
      currency: options.currency,
      includeProvisional: String(options.includeProvisional),
    });
    body.setAttribute('aria-busy', 'true');
    try {
      data = await get(`/evaluations/channels?${params}`);
      error = null;
    } catch (err) {
      error = err;
    }
    body.setAttribute('aria-busy', 'false');
    renderBody();
  }

  function renderControls() {
    const last = h('input', {
      id: 'last-campaigns',
      type: 'number',
      min: 1,
      max: 200,
      value: options.lastCampaigns,
      'data-focus-key': 'last-campaigns',
      onchange: (e) => ((options.lastCampaigns = e.target.value), void load()),
    });
    const currency = h('input', {
      id: 'insights-currency',
      value: options.currency,
      size: 4,
      maxlength: 3,
      'data-focus-key': 'insights-currency',
      onchange: (e) => ((options.currency = e.target.value.toUpperCase()), void load()),
    });
    const provisional = h('input', {
      id: 'include-provisional',
      type: 'checkbox',
      checked: options.includeProvisional,
      'data-focus-key': 'include-provisional',
      onchange: (e) => ((options.includeProvisional = e.target.checked), void load()),
    });
    swap(
      controls,
      h('label', { for: 'last-campaigns' }, t('lastCampaigns')),
      last,
      h('label', { for: 'insights-currency' }, t('currency')),
      currency,
      h('label', { class: 'inline-check' }, provisional, h('span', {}, t('includeProvisional'))),
    );
    controls.onsubmit = (e) => e.preventDefault();
  }

  function headerCell(column) {
    const active = sort.key === column.key;
    const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';
    return h(
      'th',
      { scope: 'col', 'aria-sort': ariaSort, dataset: { column: column.key } },
      h(
        'button',
        {
          type: 'button',
          class: 'sort-button',
          id: `sort-${column.key}`,
          'data-focus-key': `sort-${column.key}`,
          onclick: () => {
            sort = { key: column.key, direction: active && sort.direction === 'asc' ? 'desc' : 'asc' };
            renderBody();
          },
        },
        t(column.label),
        h(
          'span',
          { class: 'sort-mark', 'aria-hidden': 'true' },
          active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ' ↕',
        ),
      ),
    );
  }

  /** Cost against activation, one bubble per channel: the cheap, well-activating ones sit bottom right. */
  function scatter(rows) {
    const container = h('div', { class: 'echart', id: 'insights-scatter' });
    const points = rows
      .filter((r) => r.aac.defined && r.activationRate.defined)
      .map((r) => ({
        name: r.channelCode ?? r.channelId,
        value: [Number(r.activationRate.value) * 100, Number(r.aac.major), r.activated],
      }));
    disposeScatter();
    queueMicrotask(() => {
      disposeScatter = drawEchart(container, {
        grid: { left: 70, right: 40, top: 30, bottom: 50 },
        // Activation rates on their whole scale (0–100%), so that a channel is never drawn on the edge.
        xAxis: { type: 'value', name: t('scatterX'), nameLocation: 'middle', nameGap: 30, min: 0, max: 100 },
        yAxis: {
          type: 'value',
          name: t('scatterY', { currency: data.currency }),
          nameLocation: 'middle',
          nameGap: 55,
          min: 0,
        },
        tooltip: { trigger: 'item' },
        series: [
          {
            type: 'scatter',
            data: points,
            symbolSize: (value) => Math.max(10, Math.min(48, Math.sqrt(value[2]) * 4)),
            label: { show: true, formatter: '{b}', position: 'top', overflow: 'truncate', width: 160 },
            itemStyle: { color: '#1d63d8', opacity: 0.75 },
          },
        ],
      });
    });
    return h(
      'figure',
      { class: 'chart-figure', id: 'insights-scatter-figure' },
      h('figcaption', {}, t('scatterTitle')),
      container,
      points.length < rows.length ? h('p', { class: 'muted small' }, t('scatterLeftOut')) : null,
    );
  }

  function renderBody() {
    if (error) return swap(body, h('p', { class: 'error', role: 'alert' }, error.message));
    if (!data) return swap(body, h('p', { class: 'muted' }, t('loading')));
    if (data.channels.length === 0)
      return swap(body, h('p', { class: 'muted', id: 'no-insights' }, t('noInsights')));
    const column = COLUMNS.find((c) => c.key === sort.key);
    const rows = [...data.channels].sort(compareRows(column, sort.direction));
    const codeOf = (r) => r.channelCode ?? r.channelId;
    const chart = barChart({
      id: 'insights-aac-chart',
      title: t('insightsAacChart'),
      bars: rows.map((r) => ({
        key: codeOf(r),
        label: codeOf(r),
        value: r.aac.defined ? Number(r.aac.major) : null,
        display: moneyCell(r.aac),
        exact: r.aac.defined ? r.aac.major : undefined,
        tone: 'primary',
      })),
    });
    swap(
      body,
      h(
        'p',
        { class: 'muted small', id: 'insights-meta' },
        t('insightsMeta', {
          count: data.campaigns.length,
          names: data.campaigns
            .map((c) => `${c.name}${c.provisional ? ` (${label('status', 'provisional')})` : ''}`)
            .join('、'),
        }),
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data compact', id: 'channel-comparison' },
          h('caption', {}, t('insightsTableCaption')),
          h('thead', {}, h('tr', {}, COLUMNS.map(headerCell))),
          h(
            'tbody',
            {},
            rows.map((r) =>
              h(
                'tr',
                { dataset: { channel: codeOf(r), rank: r.rank ?? '' } },
                h('td', { class: 'num' }, r.rank ?? '—'),
                h(
                  'th',
                  { scope: 'row' },
                  r.channelName ?? codeOf(r),
                  h('span', { class: 'muted small block mono' }, codeOf(r)),
                ),
                h('td', { class: 'num' }, formatCount(r.campaigns)),
                h('td', { class: 'num' }, formatCount(r.registrations)),
                h('td', { class: 'num' }, formatCount(r.activated)),
                h('td', { class: 'num' }, rateCell(r.activationRate)),
                h('td', { class: 'num' }, formatMinor(r.acquisitionCost.minor, r.acquisitionCost.currency)),
                h('td', { class: 'num' }, moneyCell(r.cac)),
                h('td', { class: 'num', dataset: { column: 'aac' } }, moneyCell(r.aac)),
              ),
            ),
          ),
        ),
      ),
      h('div', { class: 'grid-2' }, chart, scatter(rows)),
      h('p', { class: 'muted small' }, t('insightsDefinition')),
    );
  }

  function render() {
    heading.textContent = t('insightsTitle');
    intro.textContent = t('insightsIntro');
    document.title = `${t('insightsTitle')} · ${t('appTitle')}`;
    renderControls();
    renderBody();
  }

  main.replaceChildren(
    h(
      'section',
      { class: 'page', 'aria-labelledby': 'page-title' },
      h('div', { class: 'page-head' }, heading),
      intro,
      controls,
      body,
    ),
  );
  render();
  void load();
  return { rerender: render, dispose: () => disposeScatter() };
}
