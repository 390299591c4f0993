// One material (GET /materials/:id): each variant with its targeting rule in words, a preview of its
// latest version, every version (author, hash, approval) and — for a role that may — a new version of
// the content, and approval of versions by someone other than their author (the page says why not).
import { ApiError, get, post } from '../api.js';
import { announce, h, swap } from '../dom.js';
import { bindForm } from '../form.js';
import { formatShortTime, shortHash } from '../format.js';
import { t } from '../i18n.js';
import { approveVersion } from '../registry/approve.js';
import { approvalControl, contentInputs, renderPreview, ruleText } from '../registry/material-view.js';
import { may } from '../session.js';

export function materialDetailPage(main, id) {
  let material = null;
  let error = null;
  const editing = new Map(); // variant key → its open new-version form (kept across refreshes)

  const back = h('a', { href: '#/materials', class: 'back-link' });
  const heading = h('h1', { id: 'page-title' });
  const meta = h('p', { class: 'muted', id: 'material-meta' });
  const variants = h('div', { id: 'variants' });

  async function load() {
    try {
      material = await get(`/materials/${encodeURIComponent(id)}`);
      error = null;
    } catch (err) {
      error = err;
    }
    render();
  }

  function newVersionForm(variant) {
    const latest = variant.versions[0];
    const form = h('form', { class: 'editor new-version', id: `new-version-${variant.key}` });
    const content = contentInputs('content', latest?.content ?? {}, () =>
      preview.replaceChildren(renderPreview(content.read(), `new-preview-${variant.key}`)),
    );
    const preview = h('div', { class: 'preview-slot' });
    preview.replaceChildren(renderPreview(content.read(), `new-preview-${variant.key}`));
    bindForm(form, {
      submit: async () => {
        const created = await post(
          `/materials/${material.id}/variants/${encodeURIComponent(variant.key)}/versions`,
          { content: content.read() },
        );
        editing.delete(variant.key);
        announce(t('versionCreated', { key: variant.key, version: created.version }));
        await load();
      },
    });
    const build = () => {
      const problem = form.querySelector(':scope > .form-problem');
      form.replaceChildren(
        ...(problem ? [problem] : []),
        h('h3', { class: 'wide' }, t('newVersionOf', { key: variant.key })),
        h(
          'div',
          { class: 'variant-grid wide' },
          h('div', { class: 'grid' }, ...content.fields()),
          h('div', { class: 'variant-preview' }, h('h3', {}, t('preview')), preview),
        ),
        h(
          'div',
          { class: 'button-row' },
          h(
            'button',
            { type: 'submit', class: 'primary', id: `save-version-${variant.key}` },
            t('saveVersion'),
          ),
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                editing.delete(variant.key);
                render();
              },
            },
            t('cancelEdit'),
          ),
        ),
      );
    };
    return { form, build };
  }

  function renderVariant(variant) {
    const latest = variant.versions[0];
    const open = editing.get(variant.key);
    if (open) open.build();
    return h(
      'section',
      {
        class: 'card variant',
        id: `variant-${variant.key}`,
        dataset: { variant: variant.key },
        'aria-labelledby': `variant-${variant.key}-title`,
      },
      h('h2', { id: `variant-${variant.key}-title` }, t('variantTitle', { key: variant.key })),
      h(
        'dl',
        { class: 'facts' },
        h(
          'div',
          {},
          h('dt', {}, t('targetingRule')),
          h('dd', { class: 'rule-text', dataset: { testid: 'rule' } }, ruleText(variant.rule)),
        ),
        h('div', {}, h('dt', {}, t('variantPriority')), h('dd', {}, String(variant.priority))),
        h(
          'div',
          {},
          h('dt', {}, t('latestVersion')),
          h('dd', {}, t('versionN', { version: variant.latestVersion })),
        ),
        h(
          'div',
          {},
          h('dt', {}, t('latestApproved')),
          h(
            'dd',
            {},
            variant.latestApprovedVersion === null
              ? t('noneApproved')
              : t('versionN', { version: variant.latestApprovedVersion }),
          ),
        ),
      ),
      h(
        'div',
        { class: 'variant-grid' },
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data compact versions' },
            h('caption', { class: 'visually-hidden' }, t('versionsOf', { key: variant.key })),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['colVersion', 'contentTitle', 'colAuthor', 'colCreatedAt', 'colHash', 'colApproval'].map(
                  (k) => h('th', { scope: 'col' }, t(k)),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              variant.versions.map((v) =>
                h(
                  'tr',
                  { dataset: { version: v.version, approval: v.approval, versionId: v.id } },
                  h('th', { scope: 'row' }, t('versionN', { version: v.version })),
                  h('td', {}, v.content.title),
                  h('td', {}, v.author),
                  h('td', { class: 'nowrap' }, formatShortTime(v.createdAt)),
                  h('td', { class: 'mono', title: v.contentHash }, shortHash(v.contentHash)),
                  h(
                    'td',
                    {},
                    approvalControl(v, (version, button) => approveVersion(version, button, load)),
                  ),
                ),
              ),
            ),
          ),
          open
            ? open.form
            : may('POST', '/materials/:id/variants/:key/versions')
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    id: `new-version-button-${variant.key}`,
                    onclick: () => {
                      editing.set(variant.key, newVersionForm(variant));
                      render();
                      document.querySelector(`#new-version-${CSS.escape(variant.key)} input`)?.focus();
                    },
                  },
                  t('newVersion'),
                )
              : null,
        ),
        h(
          'div',
          { class: 'variant-preview' },
          h('h3', {}, t('previewLatest', { version: latest?.version ?? '—' })),
          renderPreview(latest?.content, `preview-${variant.key}`),
        ),
      ),
    );
  }

  function render() {
    back.textContent = t('backToMaterials');
    if (error) {
      heading.textContent =
        error instanceof ApiError && error.status === 404 ? t('materialNotFound') : error.message;
      return;
    }
    if (!material) {
      heading.textContent = t('loading');
      return;
    }
    heading.textContent = material.name;
    document.title = `${material.name} · ${t('appTitle')}`;
    meta.textContent = t('materialMeta', { by: material.createdBy, at: formatShortTime(material.createdAt) });
    swap(variants, ...material.variants.map(renderVariant));
  }

  main.replaceChildren(
    h(
      'article',
      { class: 'page detail', 'aria-labelledby': 'page-title' },
      back,
      h('header', { class: 'page-head' }, h('div', { class: 'title-block' }, heading, meta)),
      variants,
    ),
  );
  render();
  void load();
  return { rerender: render, dispose: () => {} };
}
