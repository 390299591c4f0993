// Pieces the material pages share: a targeting rule in words, a preview of a version's content as a
// channel would show it, the content fields of an editor (data-field paths as the API names them), and
// the approval cell — the approve button, or why this user cannot approve (four-eyes: not the author).
import { h } from '../dom.js';
import { field } from '../form.js';
import { label, t } from '../i18n.js';
import { currentUser, may } from '../session.js';
import { AGE_BANDS, CITY_TIERS, GENDERS, TARGETING_OPS } from './vocabulary.js';

/** Trait paths a rule may read (channels/targeting-rule.ts), offered in the editor's list. */
export const TRAIT_PATHS = [
  'audience.priceSensitivity',
  'audience.willingnessToPay',
  'audience.interests',
  'content.preferredStyles',
  ...AGE_BANDS.map((b) => `audience.ageBands.${b}`),
  ...CITY_TIERS.map((c) => `audience.cityTiers.${c}`),
  ...GENDERS.map((g) => `audience.genderSplit.${g}`),
  'performance.activationRate',
  'performance.conversionRate',
];

function traitText(path) {
  const m = /^audience\.(ageBands|cityTiers|genderSplit)\.(.+)$/.exec(path);
  if (m) {
    const part = m[1] === 'ageBands' ? m[2] : label(m[1] === 'cityTiers' ? 'tier' : 'gender', m[2]);
    return t('traitShare', { part });
  }
  const known = {
    'audience.priceSensitivity': 'priceSensitivity',
    'audience.willingnessToPay': 'willingnessToPay',
    'audience.interests': 'interests',
    'content.preferredStyles': 'contentStyles',
  }[path];
  return known ? t(known) : path;
}

function valueText(value) {
  if (Array.isArray(value)) return value.map(valueText).join(' / ');
  if (typeof value === 'string' && ['low', 'medium', 'high'].includes(value)) return label('level', value);
  return String(value);
}

/** A rule in words: "价格敏感度 ≥ 中", "(A 且 B)", "非 A"; the default variant has none. */
export function ruleText(rule) {
  if (rule === null || rule === undefined) return t('defaultVariant');
  if ('all' in rule) return `(${rule.all.map(ruleText).join(` ${t('ruleAnd')} `)})`;
  if ('any' in rule) return `(${rule.any.map(ruleText).join(` ${t('ruleOr')} `)})`;
  if ('not' in rule) return `${t('ruleNot')} ${ruleText(rule.not)}`;
  return `${traitText(rule.trait)} ${t(`op_${rule.op}`)} ${valueText(rule.value)}`;
}

/** How the version shows on a channel: a card with its image reference, title, body, incentive, action. */
export function renderPreview(content, id) {
  const images = content?.imageRefs ?? [];
  return h(
    'figure',
    { class: 'material-preview', id, 'aria-label': t('previewOf', { title: content?.title ?? '' }) },
    h(
      'div',
      { class: 'preview-image' },
      // Images are not loaded (the console's policy allows its own origin only): their reference is shown.
      images.length > 0
        ? images.map((ref) => h('span', { class: 'mono small block' }, `🖼 ${ref}`))
        : t('noImage'),
    ),
    h('div', { class: 'preview-title' }, content?.title || '—'),
    h('p', { class: 'preview-body' }, content?.body || ''),
    content?.incentiveText ? h('p', { class: 'preview-incentive' }, content.incentiveText) : null,
    h('span', { class: 'preview-cta' }, content?.callToAction || '—'),
    content?.linkUrl ? h('p', { class: 'muted small mono' }, content.linkUrl) : null,
    (content?.styleTags ?? []).length > 0
      ? h(
          'ul',
          { class: 'tags' },
          content.styleTags.map((tag) => h('li', { class: 'tag' }, tag)),
        )
      : null,
  );
}

/** Content inputs for `prefix` ("variants.0.content" or "content"), filled from `content`. */
export function contentInputs(prefix, content = {}, onInput = () => {}) {
  const input = (name, attrs = {}) =>
    h('input', { 'data-field': `${prefix}.${name}`, oninput: onInput, ...attrs });
  const area = (name, attrs = {}) =>
    h('textarea', { 'data-field': `${prefix}.${name}`, oninput: onInput, ...attrs });
  const inputs = {
    title: input('title', { maxlength: 200, 'data-name': 'title' }),
    body: area('body', { rows: 3, 'data-name': 'body' }),
    incentiveText: input('incentiveText', { maxlength: 200, 'data-name': 'incentiveText' }),
    callToAction: input('callToAction', { maxlength: 60, 'data-name': 'callToAction' }),
    linkUrl: input('linkUrl', { type: 'url', spellcheck: 'false', 'data-name': 'linkUrl' }),
    imageRefs: area('imageRefs', { rows: 2, spellcheck: 'false', 'data-name': 'imageRefs' }),
    styleTags: input('styleTags', { spellcheck: 'false', 'data-name': 'styleTags' }),
  };
  inputs.title.value = content.title ?? '';
  inputs.body.value = content.body ?? '';
  inputs.incentiveText.value = content.incentiveText ?? '';
  inputs.callToAction.value = content.callToAction ?? '';
  inputs.linkUrl.value = content.linkUrl ?? '';
  inputs.imageRefs.value = (content.imageRefs ?? []).join('\n');
  inputs.styleTags.value = (content.styleTags ?? []).join(', ');
  const fields = () => [
    field({ label: t('contentTitle'), input: inputs.title }),
    field({ label: t('contentCta'), input: inputs.callToAction }),
    field({ label: t('contentBody'), input: inputs.body, wide: true }),
    field({ label: t('contentIncentive'), input: inputs.incentiveText, hint: t('optional') }),
    field({ label: t('contentLink'), input: inputs.linkUrl }),
    field({ label: t('contentImages'), input: inputs.imageRefs, hint: t('contentImagesHint') }),
    field({ label: t('contentStyleTags'), input: inputs.styleTags, hint: t('contentStyleTagsHint') }),
  ];
  const read = () => {
    const list = (text, sep) =>
      text
        .split(sep)
        .map((s) => s.trim())
        .filter(Boolean);
    const content = {
      title: inputs.title.value.trim(),
      body: inputs.body.value.trim(),
      imageRefs: list(inputs.imageRefs.value, /\n/),
      linkUrl: inputs.linkUrl.value.trim(),
      callToAction: inputs.callToAction.value.trim(),
      styleTags: list(inputs.styleTags.value, /[,，\s]+/),
    };
    const incentive = inputs.incentiveText.value.trim();
    if (incentive) content.incentiveText = incentive;
    return content;
  };
  return { inputs, fields, read };
}

/** The approval cell of a pending version: the button, or the reason there is none. */
export function approvalControl(version, onApprove) {
  if (version.approval === 'approved') {
    return h('span', { class: 'badge approval-approved' }, t('approvedBy', { name: version.approvedBy }));
  }
  const me = currentUser();
  const pending = h('span', { class: 'badge approval-pending' }, t('approvalPending'));
  if (!may('POST', '/materials/:id/versions/:versionId/approve')) return pending;
  if (me && (me.name === version.author || me.name === 'anonymous')) {
    return h(
      'span',
      { class: 'approval-blocked' },
      pending,
      h(
        'span',
        {
          class: 'why-not small block',
          dataset: { reason: me.name === 'anonymous' ? 'anonymous' : 'author' },
        },
        me.name === 'anonymous'
          ? t('cannotApproveAnonymous')
          : t('cannotApproveOwn', { author: version.author }),
      ),
    );
  }
  return h(
    'span',
    {},
    pending,
    ' ',
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-focus-key': `approve-${version.id}`,
        dataset: { approve: version.id },
        onclick: (event) => void onApprove(version, event.currentTarget),
      },
      t('approveVersion', { version: version.version }),
    ),
  );
}

export const OPS = TARGETING_OPS;
