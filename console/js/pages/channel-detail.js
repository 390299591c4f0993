// One channel (GET /channels/:code): what it is (kind, online type, department, cost model, adapter),
// its profile (渠道画像) drawn, every profile version (internal / external, as-of) to look back at, its
// record across campaigns (GET /evaluations/channels: AAC, CAC, activation rate) and — for a role that
// may — edit, retire, import an external profile (paste or upload JSON) and recompute the internal one.
import { ApiError, get, orNull, post } from '../api.js';
import { confirmDialog } from '../dialog.js';
import { announce, h, swap } from '../dom.js';
import { bindForm, field, parseJsonField } from '../form.js';
import { formatCount, formatMajorDecimal, formatMinor, formatPercent, formatShortTime } from '../format.js';
import { label, t } from '../i18n.js';
import { renderProfile } from '../registry/profile-view.js';
import { may } from '../session.js';
import { costText } from './channel-list.js';

const enc = encodeURIComponent;

function card(id, titleKey) {
  const title = h('h2', { id: `${id}-title` });
  const body = h('div', { class: 'section-body', id: `${id}-body` });
  return {
    element: h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, title, body),
    body,
    renderTitle: () => (title.textContent = t(titleKey)),
  };
}

export function channelDetailPage(main, code) {
  const data = { channel: null, versions: null, shown: null, record: undefined };
  const errors = {};
  let selectedVersion = null; // null: the latest

  const back = h('a', { href: '#/channels', class: 'back-link' });
  const heading = h('h1', { id: 'page-title' });
  const badges = h('div', { class: 'badges' });
  const actions = h('div', { class: 'button-row', id: 'channel-actions' });
  const facts = h('div', { class: 'facts-wrap', id: 'channel-facts' });
  const notice = h('p', { class: 'error', role: 'alert', hidden: true, id: 'channel-notice' });
  const profile = card('profile', 'profileTitle');
  const versions = card('profile-versions', 'profileVersionsTitle');
  const importer = card('profile-import', 'importProfileTitle');
  const record = card('channel-record', 'channelRecordTitle');

  async function loadProfile() {
    data.shown = selectedVersion
      ? await get(`/channels/${enc(code)}/profiles/${selectedVersion}`)
      : await orNull(get(`/channels/${enc(code)}/profile`));
  }

  async function loadRecord(channel) {
    const currency = channel.costModel?.currency ?? 'CNY';
    const body = await get(
      `/evaluations/channels?${new URLSearchParams({ currency, includeProvisional: 'true', lastCampaigns: '50' })}`,
    );
    data.record = { body, row: body.channels.find((c) => c.channelCode === code) ?? null };
  }

  const settle = async (key, fn) => {
    try {
      await fn();
      errors[key] = null;
    } catch (err) {
      errors[key] = err;
    }
  };

  async function load() {
    await settle('channel', async () => (data.channel = await get(`/channels/${enc(code)}`)));
    if (!data.channel) return render();
    await Promise.all([
      settle('shown', loadProfile),
      settle('versions', async () => (data.versions = await get(`/channels/${enc(code)}/profiles?limit=50`))),
      settle('record', () => loadRecord(data.channel)),
    ]);
    render();
  }

  async function retire() {
    await confirmDialog({
      id: 'confirm-retire',
      title: t('retireTitle', { name: data.channel.name }),
      body: t('retireBody'),
      confirmLabel: t('confirmRetire'),
      danger: true,
      onConfirm: async (reason) => {
        try {
          await post(`/channels/${enc(code)}/retire`, reason ? { reason } : {});
        } catch (err) {
          // 409 lists the unfinished campaigns that still use the channel: name them.
          const campaigns = err instanceof ApiError ? err.problem?.campaigns : null;
          if (Array.isArray(campaigns) && campaigns.length > 0) {
            throw new Error(
              t('retireBlocked', {
                list: campaigns.map((c) => `${c.name} (${label('phase', c.status)})`).join('、'),
              }),
            );
          }
          throw err;
        }
        announce(t('channelRetired', { name: data.channel.name }));
        await load();
      },
    });
  }

  async function recomputeInternal() {
    notice.hidden = true;
    try {
      const created = await post(`/channels/${enc(code)}/profiles/internal`, {});
      announce(t('profileRecorded', { version: created.version }));
      selectedVersion = null;
      await load();
    } catch (err) {
      notice.textContent = err.message;
      notice.hidden = false;
    }
  }

  function renderActions(channel) {
    const active = channel.status === 'active';
    swap(
      actions,
      may('PATCH', '/channels/:code') && active
        ? h(
            'a',
            { class: 'button', href: `#/channels/${enc(code)}/edit`, id: 'edit-channel' },
            t('editChannel'),
          )
        : null,
      may('POST', '/channels/:code/profiles/internal')
        ? h(
            'button',
            { type: 'button', id: 'recompute-internal', onclick: () => void recomputeInternal() },
            t('recomputeInternal'),
          )
        : null,
      may('POST', '/channels/:code/retire') && active
        ? h(
            'button',
            { type: 'button', class: 'danger-outline', id: 'retire-channel', onclick: () => void retire() },
            t('retireChannel'),
          )
        : null,
    );
  }

  function renderFacts(c) {
    const item = (term, value, id) => h('div', { id }, h('dt', {}, term), h('dd', {}, value));
    swap(
      facts,
      h(
        'dl',
        { class: 'facts' },
        item(t('colCode'), h('span', { class: 'mono' }, c.code)),
        item(t('colKind'), label('kind', c.kind)),
        item(t('colOnlineType'), c.onlineType ? label('onlineType', c.onlineType) : '—'),
        item(t('colDepartment'), c.department),
        item(t('colCostModel'), costText(c.costModel)),
        item(t('canShowMaterial'), c.canShowMaterial ? t('yes') : t('no')),
        item(t('canDeliverMessages'), c.canDeliverMessages ? t('yes') : t('no')),
        item(t('adapterType'), label('adapter', c.adapter?.type)),
        item(
          t('clickThroughWindow'),
          h('span', { class: 'mono' }, c.clickThroughWindow ?? 'P7D'),
          'click-through-window',
        ),
        item(
          t('viewThroughWindow'),
          h('span', { class: 'mono' }, c.viewThroughWindow ?? 'PT24H'),
          'view-through-window',
        ),
        item(t('recordVersion'), String(c.version), 'channel-version'),
        c.retiredAt ? item(t('retiredAt'), formatShortTime(c.retiredAt), 'retired-at') : null,
      ),
    );
  }

  function renderProfileCard() {
    profile.renderTitle();
    if (errors.shown)
      return swap(profile.body, h('p', { class: 'error', role: 'alert' }, errors.shown.message));
    if (!data.shown) return swap(profile.body, h('p', { class: 'muted', id: 'no-profile' }, t('noProfile')));
    swap(
      profile.body,
      selectedVersion
        ? h(
            'p',
            { class: 'muted small' },
            t('showingVersion', { version: selectedVersion }),
            ' ',
            h(
              'button',
              { type: 'button', class: 'secondary', id: 'show-latest', onclick: () => void choose(null) },
              t('showLatest'),
            ),
          )
        : null,
      renderProfile(data.shown),
    );
  }

  async function choose(version) {
    selectedVersion = version;
    await settle('shown', loadProfile);
    renderProfileCard();
    renderVersions();
    document.getElementById('profile-title')?.scrollIntoView({ block: 'start' });
  }

  function renderVersions() {
    versions.renderTitle();
    if (errors.versions)
      return swap(versions.body, h('p', { class: 'error', role: 'alert' }, errors.versions.message));
    const items = data.versions?.items ?? [];
    if (items.length === 0) return swap(versions.body, h('p', { class: 'muted' }, t('noProfile')));
    const shownVersion = data.shown?.version;
    swap(
      versions.body,
      h(
        'table',
        { class: 'data compact', id: 'profile-versions-table' },
        h('caption', { class: 'visually-hidden' }, t('profileVersionsTitle')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['colVersion', 'colSource', 'colAsOf', 'colRecordedAt', 'colShow'].map((k) =>
              h('th', { scope: 'col' }, t(k)),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          items.map((p) =>
            h(
              'tr',
              {
                dataset: { version: p.version, source: p.source },
                class: p.version === shownVersion ? 'selected' : null,
              },
              h('th', { scope: 'row' }, t('versionN', { version: p.version })),
              h('td', {}, h('span', { class: `badge source-${p.source}` }, label('source', p.source))),
              h('td', { class: 'nowrap' }, formatShortTime(p.asOf)),
              h('td', { class: 'nowrap' }, formatShortTime(p.createdAt)),
              h(
                'td',
                {},
                p.version === shownVersion
                  ? h('span', { class: 'muted' }, t('shownNow'))
                  : h(
                      'button',
                      {
                        type: 'button',
                        class: 'secondary',
                        'data-focus-key': `show-v${p.version}`,
                        onclick: () => void choose(p.version),
                      },
                      t('showVersion', { version: p.version }),
                    ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  // The importer is built once (a refresh must not wipe pasted JSON) and relabelled on a language change.
  const importForm = h('form', { class: 'editor', id: 'profile-import-form' });
  const pasteArea = h('textarea', {
    class: 'code',
    rows: 10,
    spellcheck: 'false',
    'data-field': 'items',
    id: 'profile-json',
  });
  const fileInput = h('input', { type: 'file', accept: 'application/json,.json', id: 'profile-file' });
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    if (file) pasteArea.value = await file.text();
  });
  bindForm(importForm, {
    submit: async () => {
      const parsed = parseJsonField(importForm, pasteArea);
      const result = await post('/channel-profiles/import', { items: importItems(parsed, code) });
      pasteArea.value = '';
      fileInput.value = '';
      announce(t('profileImported', { count: result.imported }));
      selectedVersion = null;
      await load();
    },
  });

  function renderImporter() {
    importer.renderTitle();
    if (!may('POST', '/channel-profiles/import') || data.channel?.status !== 'active') {
      importer.element.hidden = true;
      return;
    }
    importer.element.hidden = false;
    if (!importForm.isConnected)
      importer.body.append(h('p', { class: 'muted small', id: 'import-help' }), importForm);
    importer.body.querySelector('#import-help').textContent = t('importHelp');
    const problem = importForm.querySelector(':scope > .form-problem');
    importForm.replaceChildren(
      ...(problem ? [problem] : []),
      field({ label: t('pasteJson'), input: pasteArea, wide: true, hint: t('pasteJsonHint') }),
      field({ label: t('uploadJson'), input: fileInput }),
      h(
        'div',
        { class: 'button-row' },
        h('button', { type: 'submit', class: 'primary', id: 'import-profile' }, t('importProfile')),
      ),
    );
  }

  function renderRecord() {
    record.renderTitle();
    if (errors.record)
      return swap(record.body, h('p', { class: 'error', role: 'alert' }, errors.record.message));
    if (data.record === undefined) return swap(record.body, h('p', { class: 'muted' }, t('loading')));
    const row = data.record.row;
    if (!row) return swap(record.body, h('p', { class: 'muted', id: 'no-record' }, t('noRecord')));
    const ratio = (value, fmt) =>
      value.defined ? fmt(value) : t('undefinedValue', { reason: label('reason', value.reason) });
    const item = (term, value, key) =>
      h('div', { dataset: { figure: key } }, h('dt', {}, term), h('dd', {}, value));
    swap(
      record.body,
      h(
        'dl',
        { class: 'figures', id: 'channel-record-figures' },
        item(t('colRank'), row.rank === null ? '—' : `#${row.rank}`, 'rank'),
        item(t('colCampaigns'), formatCount(row.campaigns), 'campaigns'),
        item(t('colValid'), formatCount(row.registrations), 'registrations'),
        item(t('colActivated'), formatCount(row.activated), 'activated'),
        item(
          t('colAcqCost'),
          formatMinor(row.acquisitionCost.minor, row.acquisitionCost.currency),
          'acquisitionCost',
        ),
        item(
          t('colAac'),
          ratio(row.aac, (v) => formatMajorDecimal(v.major, v.currency)),
          'aac',
        ),
        item(
          t('colCac'),
          ratio(row.cac, (v) => formatMajorDecimal(v.major, v.currency)),
          'cac',
        ),
        item(
          t('colActivationRate'),
          ratio(row.activationRate, (v) => formatPercent(v.value)),
          'activationRate',
        ),
      ),
      h(
        'p',
        { class: 'muted small' },
        t('recordBasis', { count: data.record.body.campaigns.length, currency: data.record.body.currency }),
      ),
    );
  }

  function render() {
    back.textContent = t('backToChannels');
    const c = data.channel;
    const missing = errors.channel instanceof ApiError && errors.channel.status === 404;
    heading.textContent =
      c?.name ?? (missing ? t('channelNotFound') : errors.channel ? errors.channel.message : t('loading'));
    if (!c) {
      for (const part of [profile, versions, importer, record]) part.element.hidden = true;
      return;
    }
    for (const part of [profile, versions, record]) part.element.hidden = false;
    document.title = `${c.name} · ${t('appTitle')}`;
    swap(
      badges,
      h(
        'span',
        { class: `badge channel-${c.status}`, id: 'channel-status' },
        label('channelStatus', c.status),
      ),
      c.onlineType ? h('span', { class: 'badge' }, label('onlineType', c.onlineType)) : null,
    );
    renderActions(c);
    renderFacts(c);
    renderProfileCard();
    renderVersions();
    renderImporter();
    renderRecord();
  }

  main.replaceChildren(
    h(
      'article',
      { class: 'page detail', 'aria-labelledby': 'page-title' },
      back,
      h('header', { class: 'page-head' }, h('div', { class: 'title-block' }, heading, badges), actions),
      notice,
      facts,
      profile.element,
      h('div', { class: 'grid-2' }, versions.element, record.element),
      importer.element,
    ),
  );
  render();
  void load();
  return { rerender: render, dispose: () => {} };
}

/**
 * What a partner hands over, in the shapes people paste: an import body `{ items: [...] }`, a list of
 * items, or one profile `{ asOf, traits }`. Items without a channel code are for this channel.
 */
export function importItems(parsed, code) {
  const list = Array.isArray(parsed) ? parsed : Array.isArray(parsed?.items) ? parsed.items : [parsed];
  return list.map((item) =>
    item && typeof item === 'object' && !Array.isArray(item) && !('channelCode' in item)
      ? { channelCode: code, ...item }
      : item,
  );
}
