// The approval queue for compliance reviewers: every material version still waiting for sign-off,
// oldest first, with its content's preview and who wrote it. A reviewer approves with one click; the
// author of a version sees why they cannot (four-eyes: another person must approve), and a role that
// may not approve sees no button at all. The API enforces both whatever the page shows.
import { get } from '../api.js';
import { h, swap } from '../dom.js';
import { formatShortTime, shortHash } from '../format.js';
import { t } from '../i18n.js';
import { createRefresher } from '../refresher.js';
import { approveVersion } from '../registry/approve.js';
import { approvalControl, renderPreview, ruleText } from '../registry/material-view.js';

/** Materials with a variant whose latest version is not its latest approved one, read in full. */
async function pendingVersions() {
  const summaries = [];
  let cursor = null;
  do {
    const page = await get(
      `/materials?${new URLSearchParams({ limit: '200', ...(cursor ? { cursor } : {}) })}`,
    );
    summaries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && summaries.length < 1000);
  const waiting = summaries.filter((m) =>
    m.variants.some((v) => v.latestApprovedVersion !== v.latestVersion),
  );
  const materials = await Promise.all(waiting.map((m) => get(`/materials/${m.id}`)));
  return materials
    .flatMap((m) =>
      m.variants.flatMap((v) =>
        v.versions
          .filter((version) => version.approval === 'pending')
          .map((version) => ({ material: m, variant: v, version })),
      ),
    )
    .sort((a, b) => a.version.createdAt.localeCompare(b.version.createdAt));
}

export function approvalQueuePage(main) {
  let rows = null;
  const heading = h('h1', { id: 'page-title' });
  const intro = h('p', { class: 'muted' });
  const list = h('div', { id: 'approval-queue' });

  async function load() {
    rows = await pendingVersions();
    render();
  }
  const refresher = createRefresher({ intervalMs: 15_000, load });

  function render() {
    heading.textContent = t('approvalsTitle');
    intro.textContent = t('approvalsIntro');
    refresher.renderStatus();
    if (rows === null) return swap(list, h('p', { class: 'muted' }, t('loading')));
    if (rows.length === 0) return swap(list, h('p', { class: 'muted', id: 'queue-empty' }, t('queueEmpty')));
    swap(
      list,
      ...rows.map(({ material, variant, version }) =>
        h(
          'section',
          {
            class: 'card queue-item',
            dataset: { versionId: version.id, materialId: material.id, variant: variant.key },
            'aria-labelledby': `q-${version.id}`,
          },
          h(
            'div',
            { class: 'variant-grid' },
            h(
              'div',
              {},
              h(
                'h2',
                { id: `q-${version.id}` },
                h('a', { href: `#/materials/${material.id}` }, material.name),
                ` · ${variant.key} · ${t('versionN', { version: version.version })}`,
              ),
              h(
                'dl',
                { class: 'facts' },
                h('div', {}, h('dt', {}, t('targetingRule')), h('dd', {}, ruleText(variant.rule))),
                h('div', {}, h('dt', {}, t('colAuthor')), h('dd', { class: 'author' }, version.author)),
                h('div', {}, h('dt', {}, t('colCreatedAt')), h('dd', {}, formatShortTime(version.createdAt))),
                h(
                  'div',
                  {},
                  h('dt', {}, t('colHash')),
                  h('dd', { class: 'mono', title: version.contentHash }, shortHash(version.contentHash)),
                ),
              ),
              h(
                'div',
                { class: 'queue-action' },
                approvalControl(version, (v, button) => approveVersion(v, button, load)),
              ),
            ),
            h(
              'div',
              { class: 'variant-preview' },
              renderPreview(version.content, `queue-preview-${version.id}`),
            ),
          ),
        ),
      ),
    );
  }

  main.replaceChildren(
    h(
      'section',
      { class: 'page', 'aria-labelledby': 'page-title' },
      h('div', { class: 'page-head' }, h('div', { class: 'title-block' }, heading, intro), refresher.toolbar),
      list,
    ),
  );
  render();
  void refresher.run();
  return { rerender: render, dispose: () => refresher.stop() };
}
