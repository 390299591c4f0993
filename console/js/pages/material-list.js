// The materials (GET /materials): each with its variants, their latest and latest approved versions,
// and how many versions wait for compliance; "New material" for a role that may create one.
import { get } from '../api.js';
import { dataTable, h, loadMoreButton, swap, swapWhenChanged } from '../dom.js';
import { formatShortTime } from '../format.js';
import { t } from '../i18n.js';
import { createRefresher } from '../refresher.js';
import { may } from '../session.js';

export function materialListPage(main) {
  let items = [];
  let nextCursor = null;
  let loaded = false;
  const heading = h('h1', { id: 'page-title' });
  const actions = h('div', { class: 'button-row' });
  const table = h('div', { class: 'table-wrap', id: 'material-table' });
  const more = h('div', { class: 'more' });

  async function load() {
    const body = await get(`/materials?limit=${Math.min(200, Math.max(50, items.length))}`);
    items = body.items;
    nextCursor = body.nextCursor;
    loaded = true;
    render();
  }
  async function loadMore() {
    const body = await get(`/materials?${new URLSearchParams({ limit: '50', cursor: nextCursor })}`);
    items = items.concat(body.items);
    nextCursor = body.nextCursor;
    render();
  }
  const refresher = createRefresher({ intervalMs: 30_000, load });

  function variantText(v) {
    const approved =
      v.latestApprovedVersion === null
        ? t('noneApproved')
        : t('versionN', { version: v.latestApprovedVersion });
    return `${v.key}${v.isDefault ? ` (${t('defaultVariant')})` : ''}: ${t('versionN', { version: v.latestVersion })} · ${t('approvedShort')} ${approved}`;
  }

  function renderTable() {
    if (!loaded) return swap(table, h('p', { class: 'muted' }, t('loading')));
    if (items.length === 0) return swap(table, h('p', { class: 'muted' }, t('noMaterials')));
    swap(
      table,
      dataTable(
        {
          id: 'materials',
          caption: t('materialsTitle'),
          columns: ['materialName', 'colVariants', 'colAwaiting', 'colCreatedBy', 'colCreatedAt'].map((k) =>
            t(k),
          ),
        },
        items.map((m) => {
          const waiting = m.variants.filter((v) => v.latestApprovedVersion !== v.latestVersion).length;
          return h(
            'tr',
            { dataset: { materialId: m.id } },
            h(
              'th',
              { scope: 'row' },
              h('a', { href: `#/materials/${m.id}`, 'data-focus-key': `open-${m.id}` }, m.name),
            ),
            h(
              'td',
              {},
              h(
                'ul',
                { class: 'plain' },
                m.variants.map((v) => h('li', {}, variantText(v))),
              ),
            ),
            h(
              'td',
              {},
              waiting > 0
                ? h('span', { class: 'badge approval-pending' }, t('variantsAwaiting', { count: waiting }))
                : '—',
            ),
            h('td', {}, m.createdBy),
            h('td', { class: 'nowrap' }, formatShortTime(m.createdAt)),
          );
        }),
      ),
    );
  }

  function render() {
    heading.textContent = t('materialsTitle');
    const canCreate = may('POST', '/materials');
    swapWhenChanged(actions, `${canCreate}|${t('newMaterial')}`, () =>
      canCreate
        ? h('a', { class: 'button primary', href: '#/materials/new', id: 'new-material' }, t('newMaterial'))
        : null,
    );
    renderTable();
    swap(
      more,
      loadMoreButton(nextCursor, t('loadMore'), loadMore, (err) =>
        swap(table, h('p', { class: 'error', role: 'alert' }, err.message)),
      ),
    );
    refresher.renderStatus();
  }

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
      table,
      more,
    ),
  );
  render();
  void refresher.run();
  return { rerender: render, dispose: () => refresher.stop() };
}
