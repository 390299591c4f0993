// Register a channel (#/channels/new → POST /channels) or edit one (#/channels/:code/edit → PATCH with
// If-Match: the version read). The API's field errors show beside the fields and nothing is saved; an
// edit refused because someone else changed the channel first (412) offers to reload it.
import { getWithEtag, patch, post } from '../api.js';
import { announce, h } from '../dom.js';
import { bindForm, field } from '../form.js';
import { label, t } from '../i18n.js';
import {
  ADAPTER_TYPES,
  CHANNEL_KINDS,
  COST_MODEL_TYPES,
  majorToMinor,
  minorToMajor,
  ONLINE_TYPES,
} from '../registry/vocabulary.js';

const enc = encodeURIComponent;

const BLANK = {
  code: '',
  name: '',
  kind: 'ecosystem_scenario',
  onlineType: 'ecommerce',
  department: '',
  costModel: { type: 'per_registration', amountMinor: 0, currency: 'CNY' },
  canShowMaterial: true,
  canDeliverMessages: false,
  adapter: { type: 'simulator' },
  postAttributionWindow: 'P7D',
  clickThroughWindow: 'P7D',
  viewThroughWindow: 'PT24H',
};

function options(select, values, prefix, blank) {
  select.replaceChildren(
    ...(blank ? [h('option', { value: '' }, blank)] : []),
    ...values.map((v) => h('option', { value: v }, label(prefix, v))),
  );
}

export function channelFormPage(main, code) {
  const editing = code !== undefined;
  let loaded = editing ? null : structuredClone(BLANK);
  let etag = null;

  const back = h('a', { class: 'back-link', href: editing ? `#/channels/${enc(code)}` : '#/channels' });
  const heading = h('h1', { id: 'page-title' });
  const status = h('p', { class: 'muted', role: 'status' });
  const form = h('form', { class: 'editor card', id: 'channel-form' });

  const input = (name, attrs = {}) => h('input', { name, 'data-field': name, ...attrs });
  const inputs = {
    code: input('code', { maxlength: 64, spellcheck: 'false', autocomplete: 'off' }),
    name: input('name', { maxlength: 200 }),
    kind: h('select', { name: 'kind', 'data-field': 'kind' }),
    onlineType: h('select', { name: 'onlineType', 'data-field': 'onlineType' }),
    department: input('department', { maxlength: 100 }),
    costType: h('select', { name: 'costType', 'data-field': 'costModel.type' }),
    costAmount: input('costAmount', { inputmode: 'decimal', 'data-field': 'costModel.amountMinor' }),
    currency: input('currency', { maxlength: 3, 'data-field': 'costModel.currency', spellcheck: 'false' }),
    canShowMaterial: input('canShowMaterial', { type: 'checkbox' }),
    canDeliverMessages: input('canDeliverMessages', { type: 'checkbox' }),
    adapterType: h('select', { name: 'adapterType', 'data-field': 'adapter.type' }),
    baseUrl: input('baseUrl', { type: 'url', 'data-field': 'adapter.baseUrl', spellcheck: 'false' }),
    timeoutMs: input('timeoutMs', { inputmode: 'numeric', 'data-field': 'adapter.timeoutMs' }),
    postAttributionWindow: input('postAttributionWindow', { maxlength: 20, spellcheck: 'false' }),
    clickThroughWindow: input('clickThroughWindow', { maxlength: 20, spellcheck: 'false' }),
    viewThroughWindow: input('viewThroughWindow', { maxlength: 20, spellcheck: 'false' }),
  };
  // The checkboxes' data-field sits on the input; the API names the same path.
  const summary = h('div', { 'data-field': '(body)', hidden: true });

  function fill(c) {
    inputs.code.value = c.code;
    inputs.code.disabled = editing; // a code is immutable (the API says so too)
    inputs.name.value = c.name;
    inputs.kind.value = c.kind;
    inputs.onlineType.value = c.onlineType ?? '';
    inputs.department.value = c.department;
    inputs.costType.value = c.costModel.type;
    inputs.costAmount.value = minorToMajor(c.costModel.amountMinor, c.costModel.currency);
    inputs.currency.value = c.costModel.currency;
    inputs.canShowMaterial.checked = c.canShowMaterial;
    inputs.canDeliverMessages.checked = c.canDeliverMessages;
    inputs.adapterType.value = c.adapter.type;
    inputs.baseUrl.value = c.adapter.baseUrl ?? '';
    inputs.timeoutMs.value = c.adapter.timeoutMs ?? '';
    inputs.postAttributionWindow.value = c.postAttributionWindow ?? 'P7D';
    inputs.clickThroughWindow.value = c.clickThroughWindow ?? 'P7D';
    inputs.viewThroughWindow.value = c.viewThroughWindow ?? 'PT24H';
    showAdapterFields();
  }

  function showAdapterFields() {
    const http = inputs.adapterType.value === 'http';
    inputs.baseUrl.closest('.field').hidden = !http;
    inputs.timeoutMs.closest('.field').hidden = !http;
  }
  inputs.adapterType.addEventListener('change', showAdapterFields);

  /** The channel as the form says, in the API's shape. */
  function read() {
    const currency = inputs.currency.value.trim().toUpperCase();
    const adapterType = inputs.adapterType.value;
    const adapter = { type: adapterType };
    if (adapterType === 'http') {
      adapter.baseUrl = inputs.baseUrl.value.trim();
      const timeout = inputs.timeoutMs.value.trim();
      if (timeout !== '') adapter.timeoutMs = /^\d+$/.test(timeout) ? Number(timeout) : timeout;
    }
    return {
      code: inputs.code.value.trim(),
      name: inputs.name.value.trim(),
      kind: inputs.kind.value,
      onlineType: inputs.onlineType.value === '' ? null : inputs.onlineType.value,
      department: inputs.department.value.trim(),
      costModel: {
        type: inputs.costType.value,
        amountMinor: majorToMinor(inputs.costAmount.value, currency),
        currency,
      },
      canShowMaterial: inputs.canShowMaterial.checked,
      canDeliverMessages: inputs.canDeliverMessages.checked,
      adapter,
      postAttributionWindow: inputs.postAttributionWindow.value.trim(),
      clickThroughWindow: inputs.clickThroughWindow.value.trim(),
      viewThroughWindow: inputs.viewThroughWindow.value.trim(),
    };
  }

  /** The fields that differ from what was read: a PATCH sends only those. */
  function changes(next) {
    const diff = {};
    for (const key of Object.keys(next)) {
      if (key === 'code') continue;
      const before = key === 'onlineType' ? (loaded[key] ?? null) : loaded[key];
      if (JSON.stringify(before) !== JSON.stringify(next[key])) diff[key] = next[key];
    }
    return diff;
  }

  async function reload() {
    status.textContent = t('loading');
    const { body, etag: tag } = await getWithEtag(`/channels/${enc(code)}`);
    loaded = body;
    etag = tag;
    fill(body);
    filled = true;
    status.textContent = t('editingVersion', { version: body.version });
    form.querySelector(':scope > .form-problem')?.setAttribute('hidden', '');
    inputs.name.focus();
  }

  bindForm(form, {
    submit: async () => {
      const next = read();
      if (!editing) {
        const body = { ...next };
        if (body.onlineType === null) delete body.onlineType;
        const created = await post('/channels', body);
        announce(t('channelRegistered', { name: created.name }));
        location.hash = `#/channels/${enc(created.code)}`;
        return;
      }
      const { body } = await patch(`/channels/${enc(code)}`, changes(next), etag);
      announce(t('channelSaved', { name: body.name, version: body.version }));
      location.hash = `#/channels/${enc(code)}`;
    },
    onReload: () => void reload(),
  });

  let filled = false;
  function render() {
    // A language change relabels the options: keep what the user chose.
    const chosen = ['kind', 'onlineType', 'costType', 'adapterType'].map((k) => [k, inputs[k].value]);
    back.textContent = editing ? t('backToChannel') : t('backToChannels');
    heading.textContent = editing ? t('editChannelTitle', { code }) : t('registerChannel');
    options(inputs.kind, CHANNEL_KINDS, 'kind');
    options(inputs.onlineType, ONLINE_TYPES, 'onlineType', t('noOnlineType'));
    options(inputs.costType, COST_MODEL_TYPES, 'costType');
    options(inputs.adapterType, ADAPTER_TYPES, 'adapter');
    const problem = form.querySelector(':scope > .form-problem');
    form.replaceChildren(
      ...(problem ? [problem] : []),
      summary,
      field({ label: t('colCode'), input: inputs.code, hint: t('codeHint') }),
      field({ label: t('channelName'), input: inputs.name }),
      field({ label: t('colKind'), input: inputs.kind }),
      field({ label: t('colOnlineType'), input: inputs.onlineType, hint: t('onlineTypeHint') }),
      field({ label: t('colDepartment'), input: inputs.department }),
      field({ label: t('costType'), input: inputs.costType }),
      field({ label: t('costAmount'), input: inputs.costAmount, hint: t('costAmountHint') }),
      field({ label: t('currency'), input: inputs.currency }),
      field({ label: t('canShowMaterial'), input: inputs.canShowMaterial }),
      field({ label: t('canDeliverMessages'), input: inputs.canDeliverMessages }),
      field({ label: t('adapterType'), input: inputs.adapterType, hint: t('adapterHint') }),
      field({ label: t('adapterBaseUrl'), input: inputs.baseUrl }),
      field({ label: t('adapterTimeout'), input: inputs.timeoutMs }),
      field({
        label: t('postAttributionWindow'),
        input: inputs.postAttributionWindow,
        hint: t('postAttributionWindowHint'),
      }),
      field({
        label: t('clickThroughWindow'),
        input: inputs.clickThroughWindow,
        hint: t('clickThroughWindowHint'),
      }),
      field({
        label: t('viewThroughWindow'),
        input: inputs.viewThroughWindow,
        hint: t('viewThroughWindowHint'),
      }),
      h(
        'div',
        { class: 'button-row' },
        h(
          'button',
          { type: 'submit', class: 'primary', id: 'save-channel' },
          editing ? t('save') : t('registerChannel'),
        ),
        h('a', { class: 'button', href: back.getAttribute('href') }, t('cancelEdit')),
      ),
    );
    if (filled) for (const [k, v] of chosen) inputs[k].value = v;
    else if (loaded) {
      fill(loaded);
      filled = true;
    }
    showAdapterFields();
  }

  main.replaceChildren(
    h(
      'section',
      { class: 'page', 'aria-labelledby': 'page-title' },
      back,
      h('div', { class: 'page-head' }, heading),
      status,
      form,
    ),
  );
  render();
  if (editing) void reload().catch((err) => (status.textContent = err.message));
  return { rerender: render, dispose: () => {} };
}
