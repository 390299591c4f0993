// The campaign page's adjustments section (docs/api/adjustments.md): registrations the bank's anti-fraud
// systems flagged after the fact, with what was clawed back, and the cost corrections — each a signed
// adjustment entry, never an edit — with a form to book one (marketers and ops). The section loads its
// own two lists, so the page only asks it to refresh and to render.
import { ApiError, get, newIdempotencyKey, post } from '../api.js';
import { announce, dataTable, h, swap } from '../dom.js';
import { bindForm, field } from '../form.js';
import { formatMinor, formatTime } from '../format.js';
import { label, t } from '../i18n.js';
import { majorToMinor } from '../registry/vocabulary.js';

const TARGET_TYPES = [
  'placement_fee',
  'delivery_report',
  'channel_fee',
  'registration_incentive',
  'activation_reward',
  'message',
];
/** Which reference fields each kind of target names (the API's field names). */
const TARGET_FIELDS = {
  placement_fee: ['placementId'],
  delivery_report: ['placementId', 'reportId'],
  channel_fee: ['customerRef'],
  registration_incentive: ['customerRef'],
  activation_reward: ['customerRef'],
  message: ['messageId'],
};

/** "-25.00" in CNY → -2500; anything else is sent as typed, for the API to name. */
function signedMinor(text, currency) {
  const trimmed = String(text).trim();
  const negative = trimmed.startsWith('-');
  const minor = majorToMinor(negative ? trimmed.slice(1) : trimmed, currency);
  return typeof minor === 'number' ? (negative ? -minor : minor) : trimmed;
}

const sumOf = (amounts) => amounts.reduce((total, a) => total + BigInt(a.minor), 0n);

/** @param {{ campaignId: string, onDone: () => Promise<void> }} options onDone reloads the page */
export function createAdjustments({ campaignId, onDone }) {
  const state = { flags: null, corrections: null, error: null, currency: 'CNY', formOpen: false };
  const title = h('h2', { id: 'adjustments-title' });
  const body = h('div', { class: 'section-body', id: 'adjustments-body', 'aria-busy': 'true' });
  const element = h(
    'section',
    { class: 'card adjustments', id: 'adjustments', 'aria-labelledby': 'adjustments-title' },
    title,
    body,
  );

  // The form is built once, so what the user typed survives the page's auto-refresh.
  const inputs = {
    type: h(
      'select',
      { dataset: { field: 'target.type' }, id: 'correction-type' },
      TARGET_TYPES.map((type) => h('option', { value: type })),
    ),
    placementId: h('input', { dataset: { field: 'target.placementId' }, id: 'correction-placement' }),
    reportId: h('input', { dataset: { field: 'target.reportId' }, id: 'correction-report' }),
    customerRef: h('input', { dataset: { field: 'target.customerRef' }, id: 'correction-customer' }),
    messageId: h('input', { dataset: { field: 'target.messageId' }, id: 'correction-message' }),
    amount: h('input', { dataset: { field: 'amountMinor' }, id: 'correction-amount', inputmode: 'decimal' }),
    reason: h('input', { dataset: { field: 'reason' }, id: 'correction-reason', maxlength: 500 }),
  };
  const labels = {};
  const fields = Object.fromEntries(
    Object.entries(inputs).map(([key, input]) => {
      const wrapper = field({ label: '', input, wide: key === 'reason' });
      labels[key] = wrapper.querySelector('label');
      return [key, wrapper];
    }),
  );
  const submit = h('button', { type: 'submit', class: 'primary', id: 'correction-submit' });
  const form = h(
    'form',
    { class: 'editor compact', id: 'correction-form' },
    h('div', { class: 'form-grid' }, Object.values(fields)),
    h('div', { class: 'button-row' }, submit),
  );
  let idempotencyKey = newIdempotencyKey();
  const showTargetFields = () => {
    const wanted = TARGET_FIELDS[inputs.type.value] ?? [];
    for (const key of ['placementId', 'reportId', 'customerRef', 'messageId'])
      // The field wrapper's display rule would override the hidden attribute.
      fields[key].style.display = wanted.includes(key) ? '' : 'none';
  };
  inputs.type.addEventListener('change', showTargetFields);
  // A changed form is a new correction; the same form submitted again (a retry) keeps its key.
  form.addEventListener('input', () => (idempotencyKey = newIdempotencyKey()));
  bindForm(form, {
    submit: async () => {
      const type = inputs.type.value;
      const target = { type };
      for (const key of TARGET_FIELDS[type]) target[key] = inputs[key].value.trim();
      const reply = await post(
        `/campaigns/${campaignId}/cost-corrections`,
        {
          target,
          amountMinor: signedMinor(inputs.amount.value, state.currency),
          currency: state.currency,
          reason: inputs.reason.value.trim(),
        },
        idempotencyKey,
      );
      idempotencyKey = newIdempotencyKey();
      inputs.amount.value = '';
      inputs.reason.value = '';
      announce(
        t('correctionBooked', {
          amount: formatMinor(reply.correction.amount.minor, reply.correction.amount.currency),
          version: reply.evaluation.version ?? '—',
        }),
      );
      await onDone();
    },
  });
  showTargetFields();

  async function refresh() {
    try {
      const [flags, corrections] = await Promise.all([
        get(`/campaigns/${campaignId}/fraud-flags?limit=50`),
        // Ops and marketers read corrections; an anti-fraud key does not (403): show the flags anyway.
        get(`/campaigns/${campaignId}/cost-corrections?limit=50`).catch((err) => {
          if (err instanceof ApiError && err.status === 403) return null;
          throw err;
        }),
      ]);
      state.flags = flags;
      state.corrections = corrections;
      state.error = null;
    } catch (err) {
      state.error = err;
    }
  }

  function flagsPart() {
    const items = state.flags?.items ?? [];
    const clawedBack = items.flatMap((f) => f.reversals.map((r) => r.amount));
    return h(
      'div',
      { class: 'adjustments-part', id: 'fraud-flags' },
      h('h3', {}, t('fraudFlagsTitle')),
      h('p', { class: 'muted small' }, t('fraudFlagsIntro')),
      items.length === 0
        ? h('p', { class: 'muted', id: 'no-fraud-flags' }, t('noFraudFlags'))
        : h(
            'div',
            { class: 'table-wrap' },
            dataTable(
              {
                id: 'fraud-flag-table',
                caption: t('fraudFlagsTitle'),
                columns: [
                  'adjColCustomer',
                  'colChannel',
                  'adjColFraudReason',
                  'adjColClawedBack',
                  'adjColFlaggedAt',
                  'adjColActor',
                ].map((key) => t(key)),
              },
              items.map((flag) =>
                h(
                  'tr',
                  {},
                  h('td', {}, flag.customerRef),
                  h('td', {}, flag.channelCode),
                  h(
                    'td',
                    {},
                    label('fraudReason', flag.reason),
                    flag.note ? h('span', { class: 'muted small block' }, flag.note) : null,
                  ),
                  h(
                    'td',
                    { class: 'num' },
                    formatMinor(
                      String(sumOf(flag.reversals.map((r) => r.amount))),
                      flag.reversals[0]?.amount.currency ?? state.currency,
                    ),
                  ),
                  h('td', {}, formatTime(flag.flaggedAt)),
                  h('td', {}, flag.actor),
                ),
              ),
            ),
          ),
      items.length > 0
        ? h(
            'p',
            { class: 'small', id: 'clawed-back-total' },
            t('clawedBackTotal', {
              count: items.length,
              amount: formatMinor(String(sumOf(clawedBack)), clawedBack[0]?.currency ?? state.currency),
            }),
          )
        : null,
    );
  }

  function correctionsPart() {
    if (state.corrections === null) return null;
    const items = state.corrections.items;
    return h(
      'div',
      { class: 'adjustments-part', id: 'cost-corrections' },
      h('h3', {}, t('costCorrectionsTitle')),
      h('p', { class: 'muted small' }, t('costCorrectionsIntro')),
      items.length === 0
        ? h('p', { class: 'muted', id: 'no-cost-corrections' }, t('noCostCorrections'))
        : h(
            'div',
            { class: 'table-wrap' },
            dataTable(
              {
                id: 'cost-correction-table',
                caption: t('costCorrectionsTitle'),
                columns: [
                  'adjColCorrected',
                  'colChannel',
                  'adjColAmount',
                  'adjColReason',
                  'adjColActor',
                  'adjColWhen',
                ].map((key) => t(key)),
              },
              items.map((c) =>
                h(
                  'tr',
                  {},
                  h(
                    'td',
                    {},
                    label('correctionTarget', c.target.type),
                    h('span', { class: 'muted small block' }, c.correctsEntryId),
                  ),
                  h('td', {}, c.channelCode),
                  h(
                    'td',
                    { class: `num ${c.amount.minor < 0 ? 'negative' : ''}` },
                    formatMinor(c.amount.minor, c.amount.currency),
                  ),
                  h('td', {}, c.reason),
                  h('td', {}, c.actor),
                  h('td', {}, formatTime(c.createdAt)),
                ),
              ),
            ),
          ),
      h(
        'details',
        {
          id: 'correction-details',
          open: state.formOpen || undefined,
          ontoggle: (e) => (state.formOpen = e.target.open),
        },
        h('summary', {}, t('bookCorrection')),
        form,
      ),
    );
  }

  /** @param campaign the campaign (for its currency), or null while loading */
  function render(campaign) {
    if (campaign?.currency) state.currency = campaign.currency;
    title.textContent = t('adjustmentsTitle');
    for (const option of inputs.type.options) option.textContent = label('correctionTarget', option.value);
    labels.type.textContent = t('correctionTargetType');
    labels.placementId.textContent = t('correctionPlacementId');
    labels.reportId.textContent = t('correctionReportId');
    labels.customerRef.textContent = t('correctionCustomerRef');
    labels.messageId.textContent = t('correctionMessageId');
    labels.amount.textContent = t('correctionAmount', { currency: state.currency });
    labels.reason.textContent = t('correctionReason');
    submit.textContent = t('bookCorrectionSubmit');
    const loading = state.flags === null && !state.error;
    body.setAttribute('aria-busy', String(loading));
    if (state.error) swap(body, h('p', { class: 'error', role: 'alert' }, state.error.message));
    else if (loading) swap(body, h('p', { class: 'muted' }, t('loading')));
    else swap(body, flagsPart(), correctionsPart());
  }

  return { element, refresh, render };
}
