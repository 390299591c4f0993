// The campaign list: every campaign with its status, newest first, filterable by status, each linking to
// its detail page; refreshed every few seconds so launches and phase changes show up on their own.
import { get } from '../api.js';
import { dataTable, h, loadMoreButton, swap, swapWhenChanged } from '../dom.js';
import { formatShortTime } from '../format.js';
import { label, t } from '../i18n.js';
import { createRefresher } from '../refresher.js';
import { may } from '../session.js';

const STATUSES = [
  'created',
  'awaiting_approval',
  'launching',
  'acquiring',
  'withdrawing',
  'in_period',
  'evaluating',
  'evaluation_failed',
  'completed',
  'cancelled',
  'failed',
  'rejected',
];
const PAGE = 50;

export function campaignListPage(main) {
  let items = [];
  let nextCursor = null;
  let status = '';
  let loaded = false;

  const heading = h('h1', { id: 'page-title' });
  const filterLabel = h('label', { for: 'status-filter' });
  const filter = h('select', { id: 'status-filter' });
  const table = h('div', { class: 'table-wrap', id: 'campaign-table' });
  const more = h('div', { class: 'more' });
  // Only a role that may create campaigns sees the way to the builder (the API refuses the others anyway).
  const create = h('div', { class: 'page-actions' });

  async function load() {
    // A refresh reloads as many rows as are shown, so "load more" pages are not lost.
    const limit = Math.min(200, Math.max(PAGE, items.length));
    const query = new URLSearchParams({ limit: String(limit), ...(status ? { status } : {}) });
    const body = await get(`/campaigns?${query}`);
    items = body.items;
    nextCursor = body.nextCursor;
    loaded = true;
    render();
  }

  async function loadMore() {
    const query = new URLSearchParams({
      limit: String(PAGE),
      cursor: nextCursor,
      ...(status ? { status } : {}),
    });
    const body = await get(`/campaigns?${query}`);
    items = items.concat(body.items);
    nextCursor = body.nextCursor;
    render();
  }

  const refresher = createRefresher({ intervalMs: 10_000, load });

  function renderFilter() {
    filterLabel.textContent = t('filterStatus');
    // Rebuilt on a language change only: a refresh must not close the list while it is open.
    if (filter.dataset.builtFor === t('allStatuses')) return;
    filter.dataset.builtFor = t('allStatuses');
    const options = [h('option', { value: '' }, t('allStatuses'))].concat(
      STATUSES.map((value) => h('option', { value }, label('phase', value))),
    );
    filter.replaceChildren(...options);
    filter.value = status;
  }

  function renderTable() {
    if (!loaded) return swap(table, h('p', { class: 'muted' }, t('loading')));
    if (items.length === 0) return swap(table, h('p', { class: 'muted' }, t('noCampaigns')));
    const rows = items.map((c) =>
      h(
        'tr',
        { dataset: { campaignId: c.id } },
        h(
          'th',
          { scope: 'row' },
          h(
            'a',
            {
              href: `#/campaigns/${c.id}`,
              'data-focus-key': `open-${c.id}`,
              'aria-label': t('openCampaign', { name: c.name }),
            },
            c.name,
          ),
        ),
        h('td', {}, h('span', { class: `badge phase-${c.status}` }, label('phase', c.status))),
        h('td', {}, c.currency),
        h('td', { class: 'nowrap' }, windowText(c.plan?.registrationWindow)),
        h('td', {}, c.createdBy),
        h('td', { class: 'nowrap' }, formatShortTime(c.createdAt)),
      ),
    );
    swap(
      table,
      dataTable(
        {
          id: 'campaigns',
          caption: t('campaignsTitle'),
          columns: ['colName', 'colStatus', 'colCurrency', 'colWindow', 'colCreatedBy', 'colCreatedAt'].map(
            (key) => t(key),
          ),
        },
        rows,
      ),
    );
  }

  function renderMore() {
    swap(more, loadMoreButton(nextCursor, t('loadMore'), loadMore, showError));
  }

  function showError(err) {
    swap(table, h('p', { class: 'error', role: 'alert' }, err.message));
  }

  function render() {
    heading.textContent = t('campaignsTitle');
    const canCreate = may('POST', '/campaigns');
    swapWhenChanged(create, `${canCreate}|${t('newCampaign')}`, () =>
      canCreate
        ? h(
            'a',
            { href: '#/campaigns/new', class: 'button-link primary', id: 'new-campaign' },
            t('newCampaign'),
          )
        : null,
    );
    renderFilter();
    renderTable();
    renderMore();
    refresher.renderStatus();
  }

  filter.addEventListener('change', () => {
    status = filter.value;
    items = [];
    loaded = false;
    render();
    void refresher.run();
  });

  main.replaceChildren(
    h(
      'section',
      { class: 'page', 'aria-labelledby': 'page-title' },
      h('div', { class: 'page-head' }, heading, create, refresher.toolbar),
      h('div', { class: 'filters' }, filterLabel, filter),
      table,
      more,
    ),
  );
  render();
  void refresher.run();

  return { rerender: render, dispose: () => refresher.stop() };
}

function windowText(window) {
  if (!window) return '—';
  return `${formatShortTime(window.start)} – ${formatShortTime(window.end)}`;
}
