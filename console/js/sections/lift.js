// The control-group lift on a campaign's evaluation: did the new-customer plan work? The treatment's
// activation rate minus the control group's, with its 95% interval and the two-proportion test's
// p-value (evaluation/lift.ts), drawn as an interval against a zero line so that the answer reads at
// a glance — the whole interval right of zero: it worked; across zero: not shown; left: it hurt — and
// revenue per customer per arm beside it. Statistics are floating point by nature (the API renders
// them at a stated precision); money stays exact decimal strings.
import { barChart } from '../chart.js';
import { h, s } from '../dom.js';
import { formatCount, formatMajorDecimal, formatPercent } from '../format.js';
import { label, t } from '../i18n.js';

/** A difference of proportions (a float rendered by the API) in percentage points, signed: "+12.50". */
export function points(value) {
  const x = Number(value) * 100;
  const text = Math.abs(x).toFixed(2);
  return `${x > 0 && text !== '0.00' ? '+' : x < 0 && text !== '0.00' ? '-' : ''}${text}`;
}

export function pValueText(value) {
  const p = Number(value);
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** 'worked' | 'not_shown' | 'hurt' from the 95% interval of treatment − control. */
export function verdictOf(lift) {
  if (!lift?.defined || !lift.confidenceInterval95?.defined) return 'undetermined';
  const lower = Number(lift.confidenceInterval95.lower);
  const upper = Number(lift.confidenceInterval95.upper);
  if (lower > 0) return 'worked';
  if (upper < 0) return 'hurt';
  return 'not_shown';
}

const rateText = (ratio) => (ratio?.defined ? formatPercent(ratio.value) : label('reason', ratio?.reason));
const moneyText = (ratio) =>
  ratio?.defined ? formatMajorDecimal(ratio.major, ratio.currency) : label('reason', ratio?.reason);

const WIDTH = 600;
const LABEL = 170;
const ROW = 34;

/** The intervals of each treatment arm (and all pooled) against the zero line. */
function intervalPlot(rows) {
  const bounds = rows.flatMap((r) =>
    r.lift.confidenceInterval95?.defined
      ? [Number(r.lift.confidenceInterval95.lower), Number(r.lift.confidenceInterval95.upper)]
      : [Number(r.lift.difference?.value ?? 0)],
  );
  const reach = Math.max(0.01, ...bounds.map(Math.abs)) * 1.15;
  const area = WIDTH - LABEL - 24;
  const xOf = (v) => LABEL + ((v + reach) / (2 * reach)) * area;
  const height = rows.length * ROW + 30;
  return s(
    'svg',
    {
      class: 'lift-plot',
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'list',
      'aria-label': t('liftPlotTitle'),
      preserveAspectRatio: 'xMinYMin meet',
    },
    s('line', { class: 'zero', x1: xOf(0), y1: 4, x2: xOf(0), y2: height - 22 }),
    s('text', { class: 'tick', x: xOf(0), y: height - 6, 'text-anchor': 'middle' }, t('liftZero')),
    s('text', { class: 'tick', x: xOf(-reach), y: height - 6 }, `${points(-reach)} ${t('pp')}`),
    s(
      'text',
      { class: 'tick', x: xOf(reach), y: height - 6, 'text-anchor': 'end' },
      `${points(reach)} ${t('pp')}`,
    ),
    rows.map((row, i) => {
      const y = 8 + i * ROW + ROW / 2;
      const { lift } = row;
      const ci = lift.confidenceInterval95;
      const verdict = verdictOf(lift);
      const difference = lift.difference?.defined ? Number(lift.difference.value) : null;
      const name = `${row.label}: ${difference === null ? '—' : `${points(difference)} ${t('pp')}`}${
        ci?.defined ? `, ${t('ciShort', { lower: points(ci.lower), upper: points(ci.upper) })}` : ''
      }`;
      return s(
        'g',
        {
          class: `lift-row verdict-${verdict}`,
          role: 'listitem',
          'aria-label': name,
          dataset: {
            key: row.key,
            difference: lift.difference?.defined ? lift.difference.value : '',
            lower: ci?.defined ? ci.lower : '',
            upper: ci?.defined ? ci.upper : '',
          },
        },
        s('title', {}, name),
        s(
          'text',
          { class: 'bar-label', x: LABEL - 10, y, 'text-anchor': 'end', 'dominant-baseline': 'central' },
          row.label,
        ),
        ci?.defined
          ? [
              s('line', {
                class: 'interval',
                x1: xOf(Number(ci.lower)),
                y1: y,
                x2: xOf(Number(ci.upper)),
                y2: y,
              }),
              s('line', {
                class: 'whisker',
                x1: xOf(Number(ci.lower)),
                y1: y - 6,
                x2: xOf(Number(ci.lower)),
                y2: y + 6,
              }),
              s('line', {
                class: 'whisker',
                x1: xOf(Number(ci.upper)),
                y1: y - 6,
                x2: xOf(Number(ci.upper)),
                y2: y + 6,
              }),
            ]
          : null,
        difference === null ? null : s('circle', { class: 'estimate', cx: xOf(difference), cy: y, r: 6 }),
      );
    }),
  );
}

/** The lift part of the evaluation section: null when the report has no lift field at all. */
export function renderLift(report) {
  const lift = report?.lift;
  if (!lift) return null;
  const title = h('h3', { id: 'lift-title' }, t('liftTitle'));
  if (!lift.defined) {
    return h(
      'section',
      { class: 'lift', id: 'lift', 'aria-labelledby': 'lift-title' },
      title,
      h(
        'p',
        { class: 'muted', id: 'lift-verdict', dataset: { verdict: 'undetermined' } },
        t('liftUndefined', { reason: label('reason', lift.reason) }),
      ),
    );
  }
  const pooled = lift.pooled;
  const verdict = verdictOf(pooled);
  const headline = pooled?.defined
    ? t(`verdict_${verdict}`, {
        difference: pooled.difference?.defined ? points(pooled.difference.value) : '—',
        lower: pooled.confidenceInterval95?.defined ? points(pooled.confidenceInterval95.lower) : '—',
        upper: pooled.confidenceInterval95?.defined ? points(pooled.confidenceInterval95.upper) : '—',
        p: pooled.zTest?.defined ? pValueText(pooled.zTest.pValue) : '—',
      })
    : t('liftUndefined', { reason: label('reason', pooled?.reason) });

  const rows = [
    ...(lift.arms.length > 1
      ? lift.arms.map((arm) => ({ key: arm.groups.join('+'), label: arm.groups.join(' + '), lift: arm }))
      : []),
    ...(pooled?.defined
      ? [{ key: 'pooled', label: lift.arms.length > 1 ? t('allTreatment') : t('treatment'), lift: pooled }]
      : []),
  ];

  const arms = [
    { key: lift.control.group, label: t('controlArm', { group: lift.control.group }), arm: lift.control },
    ...lift.arms.map((arm) => ({
      key: arm.groups.join('+'),
      label: t('treatmentArm', { group: arm.groups.join(' + ') }),
      arm,
    })),
  ];
  const revenueChart = barChart({
    id: 'revenue-per-customer-chart',
    title: t('revenuePerCustomerChart'),
    bars: arms.map(({ key, label: text, arm }) => ({
      key,
      label: text,
      value: arm.revenuePerCustomer?.defined ? Number(arm.revenuePerCustomer.major) : null,
      display: moneyText(arm.revenuePerCustomer),
      exact: arm.revenuePerCustomer?.defined ? arm.revenuePerCustomer.major : undefined,
      tone: key === lift.control.group ? 'neutral' : 'success',
    })),
  });

  const table = h(
    'table',
    { class: 'data compact', id: 'lift-table' },
    h('caption', { class: 'visually-hidden' }, t('liftTableCaption')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [
          'colArm',
          'colValid',
          'colActivated',
          'colActivationRate',
          'colRevenuePerCustomer',
          'colDifference',
          'colInterval',
          'colPValue',
        ].map((k) => h('th', { scope: 'col' }, t(k))),
      ),
    ),
    h(
      'tbody',
      {},
      arms.map(({ key, label: text, arm }) =>
        h(
          'tr',
          { dataset: { arm: key } },
          h('th', { scope: 'row' }, text),
          h('td', { class: 'num' }, formatCount(arm.registrations)),
          h('td', { class: 'num' }, formatCount(arm.activated)),
          h('td', { class: 'num' }, rateText(arm.activationRate)),
          h('td', { class: 'num' }, moneyText(arm.revenuePerCustomer)),
          h(
            'td',
            { class: 'num' },
            arm.difference?.defined ? `${points(arm.difference.value)} ${t('pp')}` : '—',
          ),
          h(
            'td',
            { class: 'num nowrap' },
            arm.confidenceInterval95?.defined
              ? t('ciShort', {
                  lower: points(arm.confidenceInterval95.lower),
                  upper: points(arm.confidenceInterval95.upper),
                })
              : '—',
          ),
          h('td', { class: 'num' }, arm.zTest?.defined ? pValueText(arm.zTest.pValue) : '—'),
        ),
      ),
    ),
  );

  return h(
    'section',
    { class: 'lift', id: 'lift', 'aria-labelledby': 'lift-title' },
    title,
    h('p', { class: `verdict verdict-${verdict}`, id: 'lift-verdict', dataset: { verdict } }, headline),
    rows.length > 0
      ? h(
          'figure',
          { class: 'chart-figure', id: 'lift-plot' },
          h('figcaption', {}, t('liftPlotTitle')),
          intervalPlot(rows),
        )
      : null,
    h('p', { class: 'muted small' }, t('liftHowToRead')),
    revenueChart,
    h('div', { class: 'table-wrap' }, table),
  );
}
