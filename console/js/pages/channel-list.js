// The channel registry (GET /channels): every channel with its kind, online type, department, cost
// model and status, filtered by kind, online type, department and status; each links to its page.
// "Register a channel" shows only to a role that may (POST /channels).
import { get } from '../api.js';
import { dataTable, h, loadMoreButton, swap, swapWhenChanged } from '../dom.js';
import { formatMinor, formatShortTime } from '../format.js';
import { label, t } from '../i18n.js';
import { CHANNEL_KINDS, CHANNEL_STATUSES, ONLINE_TYPES } from '../registry/vocabulary.js';
import { createRefresher } from '../refresher.js';
import { may } from '../session.js';

const PAGE = 50;

export function channelListPage(main) {
  let items = [];
  let nextCursor = null;
  let loaded = false;
  const filters = { kind: '', onlineType: '', department: '', status: 'active' };

  const heading = h('h1', { id: 'page-title' });
  const actions = h('div', { class: 'button-row' });
  const filterBar = h('form', { class: 'filters', id: 'channel-filters', role: 'search' });
  const table = h('div', { class: 'table-wrap', id: 'channel-table' });
  const more = h('div', { class: 'more' });

  const query = (extra = {}) =>
    new URLSearchParams({
      ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '')),
      ...extra,
    });

  async function load() {
    const limit = Math.min(200, Math.max(PAGE, items.length));
    const body = await get(`/channels?${query({ limit: String(limit) })}`);
    items = body.items;
    nextCursor = body.nextCursor;
    loaded = true;
    render();
  }

  async function loadMore() {
    const body = await get(`/channels?${query({ limit: String(PAGE), cursor: nextCursor })}`);
    items = items.concat(body.items);
    nextCursor = body.nextCursor;
    render();
  }

  const refresher = createRefresher({ intervalMs: 30_000, load });

  function select(name, values, prefix, allKey) {
    const el = h('select', { id: `filter-${name}`, name });
    el.replaceChildren(
      h('option', { value: '' }, t(allKey)),
      ...values.map((value) => h('option', { value }, label(prefix, value))),
    );
    el.value = filters[name];
    return el;
  }

  function renderFilters() {
    const department = h('input', {
      id: 'filter-department',
      name: 'department',
      type: 'search',
      maxlength: 100,
      value: filters.department,
    });
    const labelled = (text, control) => h('label', { class: 'filter' }, h('span', {}, text), control);
    swap(
      filterBar,
      labelled(t('colKind'), select('kind', CHANNEL_KINDS, 'kind', 'allKinds')),
      labelled(t('colOnlineType'), select('onlineType', ONLINE_TYPES, 'onlineType', 'allOnlineTypes')),
      labelled(t('colDepartment'), department),
      labelled(t('colStatus'), select('status', CHANNEL_STATUSES, 'channelStatus', 'allStatuses')),
      h('button', { type: 'submit', class: 'secondary', id: 'apply-filters' }, t('applyFilters')),
    );
  }

  function renderTable() {
    if (!loaded) return swap(table, h('p', { class: 'muted' }, t('loading')));
    if (items.length === 0) return swap(table, h('p', { class: 'muted' }, t('noChannels')));
    const rows = items.map((c) =>
      h(
        'tr',
        { dataset: { channel: c.code, status: c.status } },
        h(
          'th',
          { scope: 'row' },
          h(
            'a',
            { href: `#/channels/${encodeURIComponent(c.code)}`, 'data-focus-key': `open-${c.code}` },
            c.name,
          ),
          h('span', { class: 'muted small block mono' }, c.code),
        ),
        h('td', {}, label('kind', c.kind)),
        h('td', {}, c.onlineType ? label('onlineType', c.onlineType) : '—'),
        h('td', {}, c.department),
        h('td', { class: 'nowrap' }, costText(c.costModel)),
        h('td', {}, h('span', { class: `badge channel-${c.status}` }, label('channelStatus', c.status))),
        h('td', { class: 'nowrap' }, formatShortTime(c.updatedAt)),
      ),
    );
    swap(
      table,
      dataTable(
        {
          id: 'channels',
          caption: t('channelsTitle'),
          columns: [
            'colChannel',
            'colKind',
            'colOnlineType',
            'colDepartment',
            'colCostModel',
            'colStatus',
            'colUpdated',
          ].map((key) => t(key)),
        },
        rows,
      ),
    );
  }

  function showError(err) {
    swap(table, h('p', { class: 'error', role: 'alert' }, err.message));
  }

  function render() {
    heading.textContent = t('channelsTitle');
    const canRegister = may('POST', '/channels');
    swapWhenChanged(actions, `${canRegister}|${t('registerChannel')}`, () =>
      canRegister
        ? h(
            'a',
            { class: 'button primary', href: '#/channels/new', id: 'register-channel' },
            t('registerChannel'),
          )
        : null,
    );
    renderTable();
    swap(more, loadMoreButton(nextCursor, t('loadMore'), loadMore, showError));
    refresher.renderStatus();
  }

  filterBar.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const name of Object.keys(filters)) filters[name] = filterBar.elements[name].value.trim();
    items = [];
    loaded = false;
    render();
    void refresher.run();
  });
  // A changed select applies at once; the department text applies on Enter or the button.
  filterBar.addEventListener('change', (event) => {
    if (event.target instanceof HTMLSelectElement) filterBar.requestSubmit();
  });

  main.replaceChildren(
    h(
      'section',
      { class: 'page', 'aria-labelledby': 'page-title' },
      h(
        'div',
        { class: 'page-head' },
        h('div', { class: 'title-block' }, heading, actions),
        refresher.toolbar,
      ),
      filterBar,
      table,
      more,
    ),
  );
  // The filters are rebuilt on a language change only: a refresh must not wipe what is being typed.
  const rerender = () => {
    renderFilters();
    render();
  };
  rerender();
  void refresher.run();
  return { rerender, dispose: () => refresher.stop() };
}

/** "¥15.00 per registration". */
export function costText(costModel) {
  if (!costModel) return '—';
  return t(`cost_${costModel.type}`, { amount: formatMinor(costModel.amountMinor, costModel.currency) });
}
