// The funnel section of a campaign (GET /campaigns/:id/funnel): registrations, valid, flagged, activated
// and in-period as one chart, treatment vs control as another, then flag reasons, money and budget, and
// the top of the funnel per channel (impressions, clicks and sign-ups started the channels reported,
// beside the registrations completed: where each channel's sign-up flow loses people), and how the
// registrations were attributed (the rule, the windows pinned on the campaign, the unattributed count).
import { barChart } from '../chart.js';
import { h } from '../dom.js';
import { formatCount, formatMinor, formatTime } from '../format.js';
import { label, t } from '../i18n.js';

function countBar(key, labelText, value, tone) {
  return { key, label: labelText, value, display: formatCount(value), exact: String(value), tone };
}

export function renderFunnel(funnel) {
  const r = funnel.registrations;
  const arms = funnel.arms ?? {};
  const treatment = arms.treatment ?? { registrations: 0, activated: 0 };
  const control = arms.control ?? { registrations: 0, activated: 0 };
  const currency = funnel.ledger.currency;

  const funnelChart = barChart({
    id: 'funnel-chart',
    title: t('funnelChart'),
    bars: [
      countBar('registrations.total', t('regTotal'), r.total, 'neutral'),
      countBar('registrations.valid', t('regValid'), r.valid, 'primary'),
      countBar('registrations.flagged', t('regFlagged'), r.flagged.total, 'warning'),
      countBar('activated', t('activated'), funnel.activated, 'success'),
      countBar('inPeriod', t('inPeriod'), funnel.inPeriod, 'info'),
    ],
  });
  const armsChart = barChart({
    id: 'arms-chart',
    title: t('armsChart'),
    bars: [
      countBar('treatment.registrations', t('treatmentRegs'), treatment.registrations, 'primary'),
      countBar('treatment.activated', t('treatmentActivated'), treatment.activated, 'success'),
      countBar('control.registrations', t('controlRegs'), control.registrations, 'neutral'),
      countBar('control.activated', t('controlActivated'), control.activated, 'success-muted'),
    ],
  });

  const reasons = Object.entries(r.flagged.byReason ?? {}).filter(([, n]) => n > 0);
  const budget = funnel.budget;
  return [
    h('div', { class: 'chart-pair' }, funnelChart, armsChart),
    reasons.length > 0
      ? h(
          'p',
          { class: 'muted', id: 'flag-reasons' },
          t('flaggedByReason', {
            list: reasons.map(([reason, n]) => `${label('flag', reason)} ${formatCount(n)}`).join(' · '),
          }),
        )
      : null,
    h(
      'dl',
      { class: 'figures', id: 'funnel-money' },
      h(
        'div',
        {},
        h('dt', {}, t('acquisitionCost')),
        h('dd', {}, formatMinor(funnel.ledger.costs.acquisitionMinor, currency)),
      ),
      h(
        'div',
        {},
        h('dt', {}, t('periodCost')),
        h('dd', {}, formatMinor(funnel.ledger.costs.periodMinor, currency)),
      ),
      h(
        'div',
        {},
        h('dt', {}, t('periodRevenue')),
        h('dd', {}, formatMinor(funnel.ledger.revenue.periodMinor, currency)),
      ),
      budget
        ? h(
            'div',
            {},
            h('dt', {}, t('budget')),
            h(
              'dd',
              {},
              budget.acquisitionClosed
                ? t('budgetClosed')
                : t('budgetLine', {
                    spent: formatMinor(budget.spentMinor, currency),
                    cap: formatMinor(budget.capMinor, currency),
                    remaining: formatMinor(budget.remainingMinor, currency),
                  }),
            ),
          )
        : null,
    ),
    renderDelivery(funnel.delivery),
    renderAttribution(funnel.attribution),
    h(
      'p',
      { class: 'muted small' },
      t('messagesSent', { count: formatCount(funnel.messages?.total ?? 0) }),
      ' · ',
      t('asOf', { time: formatTime(funnel.asOf) }),
    ),
  ];
}

/** A share in per cent with two decimals, rounded half up in integers ("2.60%"); — without a denominator. */
export function percent(numerator, denominator) {
  if (!denominator) return '—';
  const basisPoints = Math.floor((numerator * 10000 * 2 + denominator) / (2 * denominator));
  return `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}%`;
}

/** Clicks per 100 impressions ("2.60%"); — without impressions. */
export function clickThrough(clicks, impressions) {
  return percent(clicks, impressions);
}

/** A figure the channel did not report: a dash that says so (never 0). */
function notReported() {
  return h('td', { class: 'num muted', title: t('reason_not_reported') }, '—');
}

function renderDelivery(delivery) {
  if (!delivery || delivery.byChannel.length === 0) return null;
  const count = (n) => (n === null ? '—' : formatCount(n));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data', id: 'delivery-table' },
      h('caption', {}, t('deliveryTitle')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          // impressions → clicks → started → completed: where each channel's sign-up flow loses people.
          [
            'colChannel',
            'colImpressions',
            'colClicks',
            'colClickThrough',
            'colStarted',
            'regValid',
            'colCompletion',
            'activated',
          ].map((key) => h('th', { scope: 'col' }, t(key))),
        ),
      ),
      h(
        'tbody',
        {},
        delivery.byChannel.map((row) =>
          h(
            'tr',
            { dataset: { channel: row.channelCode } },
            h('th', { scope: 'row' }, row.channelCode),
            h('td', { class: 'num' }, count(row.impressions)),
            h('td', { class: 'num' }, count(row.clicks)),
            h(
              'td',
              { class: 'num' },
              row.impressions === null ? '—' : clickThrough(row.clicks, row.impressions),
            ),
            row.registrationsStarted === null || row.registrationsStarted === undefined
              ? notReported()
              : h('td', { class: 'num' }, formatCount(row.registrationsStarted)),
            h('td', { class: 'num' }, formatCount(row.registrations)),
            row.registrationsStarted === null || row.registrationsStarted === undefined
              ? notReported()
              : h('td', { class: 'num' }, percent(row.registrations, row.registrationsStarted)),
            h('td', { class: 'num' }, formatCount(row.activated)),
          ),
        ),
      ),
    ),
    delivery.reports === 0 ? h('p', { class: 'muted small' }, t('noDeliveryReports')) : null,
  );
}

/** The rule and windows the campaign attributes under, the count per basis, and the unattributed ones. */
function renderAttribution(attribution) {
  if (!attribution) return null;
  const bases = Object.entries(attribution.byBasis).filter(([, n]) => n > 0);
  const unattributed = attribution.unattributed;
  return h(
    'div',
    { id: 'attribution', class: 'attribution' },
    h('h3', {}, t('attributionTitle')),
    h(
      'p',
      { id: 'attribution-rule' },
      t('attributionRuleLine', { rule: label('attributionRule', attribution.rule) }),
    ),
    bases.length > 0
      ? h(
          'p',
          { class: 'muted', id: 'attribution-bases' },
          t('attributionBasisLine', {
            list: bases.map(([basis, n]) => `${label('basis', basis)} ${formatCount(n)}`).join(' · '),
          }),
        )
      : null,
    h(
      'p',
      { id: 'unattributed-count', class: unattributed.registrations > 0 ? 'warning' : 'muted' },
      t('unattributedLine', {
        count: formatCount(unattributed.registrations),
        activated: formatCount(unattributed.activated),
      }),
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data compact', id: 'attribution-windows' },
        h('caption', {}, t('attributionWindowsCaption')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['colChannel', 'colClickThroughWindow', 'colViewThroughWindow'].map((key) =>
              h('th', { scope: 'col' }, t(key)),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          attribution.windows.map((w) =>
            h(
              'tr',
              { dataset: { channel: w.channelCode } },
              h('th', { scope: 'row' }, w.channelCode),
              h('td', {}, w.clickThroughWindow),
              h('td', {}, w.viewThroughWindow),
            ),
          ),
        ),
      ),
    ),
  );
}
