// The contact policy across campaigns (GET/PUT /contact-policy, docs/api/contact-policy.md): the version in
// force in words (caps, exempt kinds, quiet hours, priorities), every older version to look back at, and —
// for a role that may — an editor that saves a new version with If-Match, showing a refusal beside the
// policy (the API names the field) or, when someone else saved first, offering to reload.
import { get, getWithEtag, put } from '../api.js';
import { announce, h, swap } from '../dom.js';
import { bindForm, field, parseJsonField } from '../form.js';
import { formatShortTime } from '../format.js';
import { t } from '../i18n.js';
import { may } from '../session.js';

function describe(view) {
  const p = view.policy;
  const list = (items, empty) =>
    items.length
      ? h(
          'ul',
          {},
          items.map((i) => h('li', {}, i)),
        )
      : h('p', {}, empty);
  return h(
    'div',
    { class: 'facts-wrap', id: 'policy-facts' },
    h('h3', {}, t('capsTitle')),
    list(
      p.frequencyCaps.map((c) =>
        t(c.scope === 'overall' ? 'capOverall' : 'capPerChannel', { max: c.max, per: c.per }),
      ),
      t('noCaps'),
    ),
    h('h3', {}, t('exemptTitle')),
    list(
      p.exemptKinds.map((k) => t(`kind_${k}`)),
      t('noExempt'),
    ),
    h('h3', {}, t('quietTitle')),
    h(
      'p',
      {},
      p.quietHours
        ? t('quietHoursText', { start: p.quietHours.start, end: p.quietHours.end, zone: p.timeZone })
        : t('noQuiet'),
    ),
    h('h3', {}, t('prioritiesTitle')),
    list(
      [
        t('defaultPriority', { priority: p.priorities.default }),
        ...p.priorities.campaigns.map((c) =>
          t('campaignPriority', { id: c.campaignId, priority: c.priority }),
        ),
      ],
      '',
    ),
  );
}

export function contactPolicyPage(main) {
  const data = { current: null, etag: null, versions: [], shown: null, error: null };
  const heading = h('h1', { id: 'page-title' });
  const body = h('div', { id: 'policy-body' });

  async function load() {
    try {
      const { body: current, etag } = await getWithEtag('/contact-policy');
      data.current = current;
      data.etag = etag;
      data.versions = (await get('/contact-policy/versions?limit=50')).items;
      data.error = null;
    } catch (err) {
      data.error = err;
    }
    render();
  }

  function editor() {
    if (!may('PUT', '/contact-policy') || !data.current) return null;
    const input = h('textarea', { rows: 18, 'data-field': '(body)', id: 'policy-json', class: 'code' });
    input.value = JSON.stringify(data.current.policy, null, 2);
    const form = h(
      'form',
      { id: 'policy-form', class: 'card' },
      h('h2', {}, t('editPolicy')),
      field({ label: t('policyJson'), input, hint: t('policyJsonHint'), wide: true }),
      h(
        'div',
        { class: 'button-row' },
        h('button', { type: 'submit', class: 'primary', id: 'save-policy' }, t('savePolicy')),
      ),
    );
    bindForm(form, {
      submit: async () => {
        const policy = parseJsonField(form, input);
        const saved = await put('/contact-policy', policy, data.etag ?? '"0"');
        announce(t('policySaved', { version: saved.body.version }));
        data.shown = null;
        await load();
      },
      onReload: () => void load(),
    });
    return form;
  }

  function render() {
    heading.textContent = t('contactPolicyTitle');
    if (data.error) return swap(body, h('p', { class: 'error', role: 'alert' }, data.error.message));
    if (!data.current) return swap(body, h('p', {}, t('loading')));
    const view = data.shown ?? data.current;
    const meta =
      view.version === 0
        ? t('policyNone')
        : t('policySavedBy', { name: view.createdBy ?? '?', time: formatShortTime(view.createdAt) });
    const versions = h(
      'section',
      { class: 'card', id: 'policy-versions' },
      h('h2', {}, t('versionsTitle')),
      h(
        'ul',
        { class: 'version-list' },
        data.versions.map((v) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                'aria-current': v.version === view.version ? 'true' : null,
                onclick: () => {
                  data.shown = v.version === data.current.version ? null : v;
                  render();
                },
              },
              t('viewVersion', { version: v.version }),
            ),
            ` — ${v.createdBy ?? ''}, ${formatShortTime(v.createdAt)}`,
          ),
        ),
      ),
    );
    swap(
      body,
      h('p', { class: 'intro' }, t('contactPolicyIntro')),
      h(
        'section',
        { class: 'card', id: 'policy-current' },
        h(
          'h2',
          {},
          data.shown
            ? t('showingPolicyVersion', { version: view.version })
            : t('policyVersion', { version: view.version }),
        ),
        h('p', { class: 'meta' }, meta),
        data.shown
          ? h(
              'button',
              { type: 'button', class: 'secondary', onclick: () => ((data.shown = null), render()) },
              t('showCurrent'),
            )
          : null,
        describe(view),
      ),
      data.shown ? null : editor(),
      versions,
    );
  }

  swap(main, h('div', { class: 'page', 'aria-labelledby': 'page-title' }, heading, body));
  render();
  void load();
  return { rerender: render, dispose: () => undefined };
}
