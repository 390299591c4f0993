// One customer (GET /customers/:ref, docs/api/customers.md): consent in force, the journey across campaigns
// (registrations, messages sent, messages the contact policy or consent withheld), attributes — personal
// data, so only for roles that may read it — and, for those that may, opt-out / opt-in and erasure.
import { ApiError, get, post } from '../api.js';
import { confirmDialog } from '../dialog.js';
import { announce, dataTable, h, swap } from '../dom.js';
import { formatShortTime } from '../format.js';
import { t } from '../i18n.js';
import { may } from '../session.js';

const enc = encodeURIComponent;
const time = (iso) => (iso ? formatShortTime(iso) : '—');

export function customerPage(main, ref) {
  const data = { customer: null, error: null, missing: false };
  const heading = h('h1', { id: 'page-title' });
  const body = h('div', { id: 'customer-body' });
  const lookup = h('input', {
    id: 'customer-ref',
    name: 'customerRef',
    value: ref ?? '',
    autocomplete: 'off',
  });

  async function load() {
    if (!ref) return render();
    try {
      data.customer = await get(`/customers/${enc(ref)}`);
      data.error = null;
      data.missing = false;
    } catch (err) {
      data.missing = err instanceof ApiError && err.status === 404;
      data.error = data.missing ? null : err;
    }
    render();
  }

  async function consent(decision) {
    await post(`/customers/${enc(ref)}/consent`, { decision });
    announce(t('consentRecorded'));
    await load();
  }

  function consentSection(c) {
    const scopeName = (scope) => (scope === 'all' ? t('scopeAll') : scope);
    const optedOutAll = c.consents.current.some((x) => x.scope === 'all' && x.decision === 'opt_out');
    const canRecord = may('POST', '/customers/:ref/consent');
    return h(
      'section',
      { class: 'card', id: 'customer-consent' },
      h('h2', {}, t('consentTitle')),
      c.consents.current.length
        ? h(
            'ul',
            {},
            c.consents.current.map((x) =>
              h(
                'li',
                { class: x.decision === 'opt_out' ? 'badge-warn' : '' },
                t('consentLine', {
                  scope: scopeName(x.scope),
                  decision: t(`decision_${x.decision}`),
                  source: x.source,
                  time: time(x.recordedAt),
                }),
              ),
            ),
          )
        : h('p', {}, t('consentNone')),
      canRecord
        ? h(
            'div',
            { class: 'button-row' },
            h(
              'button',
              {
                type: 'button',
                class: optedOutAll ? 'secondary' : 'danger',
                id: optedOutAll ? 'opt-in-all' : 'opt-out-all',
                onclick: () =>
                  void consent(optedOutAll ? 'opt_in' : 'opt_out').catch((err) => alertError(err)),
              },
              optedOutAll ? t('optInAll') : t('optOutAll'),
            ),
          )
        : null,
    );
  }

  function alertError(err) {
    data.error = err;
    render();
  }

  function journey(c) {
    const registrations = dataTable(
      {
        id: 'customer-registrations',
        caption: t('journeyTitle'),
        columns: [t('colCampaign'), t('colChannel'), t('colRegisteredAt'), t('colActivatedAt'), t('colFlag')],
      },
      c.registrations.map((r) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/campaigns/${enc(r.campaignId)}` }, r.campaignName)),
          h('td', {}, r.channelCode ?? '—'),
          h('td', {}, time(r.registeredAt)),
          h('td', {}, time(r.activatedAt)),
          h('td', {}, r.flagReason ?? '—'),
        ),
      ),
    );
    const names = new Map(c.registrations.map((r) => [r.campaignId, r.campaignName]));
    const messages = c.messages.length
      ? dataTable(
          {
            id: 'customer-messages',
            caption: t('messagesTitle'),
            columns: [t('colCampaign'), t('colStep'), t('colTime')],
          },
          c.messages.map((m) =>
            h(
              'tr',
              {},
              h('td', {}, names.get(m.campaignId) ?? m.campaignId),
              h('td', {}, m.stepId),
              h('td', {}, time(m.deliveredAt)),
            ),
          ),
        )
      : h('p', {}, t('noMessages'));
    const withheld = c.withheldMessages.length
      ? dataTable(
          {
            id: 'customer-withheld',
            caption: t('withheldTitle'),
            columns: [t('colCampaign'), t('colStep'), t('colChannel'), t('colReason'), t('colTime')],
          },
          c.withheldMessages.map((m) =>
            h(
              'tr',
              {},
              h('td', {}, names.get(m.campaignId) ?? m.campaignId),
              h('td', {}, m.stepId),
              h('td', {}, m.channelCode),
              h('td', {}, t(`reason_${m.reason}`)),
              h('td', {}, time(m.decidedAt)),
            ),
          ),
        )
      : h('p', {}, t('noWithheld'));
    return h(
      'section',
      { class: 'card', id: 'customer-journey' },
      h('h2', {}, t('journeyTitle')),
      registrations,
      h('h3', {}, t('messagesTitle')),
      messages,
      h('h3', {}, t('withheldTitle')),
      withheld,
      h('h3', {}, t('attributesTitle')),
      h(
        'pre',
        { class: 'code', id: 'customer-attributes' },
        JSON.stringify(
          c.registrations.map((r) => r.attributes),
          null,
          2,
        ),
      ),
    );
  }

  function erasure(c) {
    if (c.erasure)
      return h(
        'p',
        { class: 'meta', id: 'customer-erased' },
        t('erasedAt', { time: time(c.erasure.erasedAt), name: c.erasure.requestedBy }),
      );
    if (!may('POST', '/customers/:ref/erasure')) return null;
    const onclick = () =>
      void confirmDialog({
        id: 'erase-dialog',
        title: t('eraseTitle'),
        body: t('eraseBody'),
        confirmLabel: t('eraseCustomer'),
        danger: true,
        onConfirm: async (reason) => {
          await post(`/customers/${enc(ref)}/erasure`, reason ? { reason } : {});
          await load();
        },
      });
    return h(
      'div',
      { class: 'button-row' },
      h('button', { type: 'button', class: 'danger', id: 'erase-customer', onclick }, t('eraseCustomer')),
    );
  }

  function render() {
    heading.textContent = t('customersTitle');
    const form = h(
      'form',
      {
        class: 'filters',
        id: 'customer-lookup',
        onsubmit: (event) => {
          event.preventDefault();
          const value = lookup.value.trim();
          if (value) location.hash = `#/customers/${enc(value)}`;
        },
      },
      h('label', { for: 'customer-ref' }, t('customerLookup')),
      lookup,
      h('button', { type: 'submit', class: 'secondary' }, t('openCustomer')),
    );
    const c = data.customer;
    swap(
      body,
      h('p', { class: 'intro' }, t('customerIntro')),
      form,
      data.error ? h('p', { class: 'error', role: 'alert' }, data.error.message) : null,
      data.missing ? h('p', { id: 'customer-missing' }, t('customerNotFound')) : null,
      ...(c
        ? [h('h2', { id: 'customer-ref-title' }, c.customerRef), consentSection(c), journey(c), erasure(c)]
        : []),
    );
  }

  swap(main, h('div', { class: 'page', 'aria-labelledby': 'page-title' }, heading, body));
  render();
  void load();
  return { rerender: render, dispose: () => undefined };
}
