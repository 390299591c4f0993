// Draws one channel profile (渠道画像): who is there — age bands, gender split, city tiers as bar charts
// with the share written on each bar; interests, price sensitivity and willingness to pay — and what
// works there (content styles, notes), plus the performance figures an internal profile carries. A part
// the profile does not give is said to be unknown, not drawn as zero.
import { barChart } from '../chart.js';
import { h } from '../dom.js';
import { formatShortTime } from '../format.js';
import { label, t } from '../i18n.js';
import { AGE_BANDS, CITY_TIERS, GENDERS } from './vocabulary.js';

/** A share (0..1, a float in the profile) as a percentage with at most one decimal. */
export function shareText(share) {
  return `${Math.round(share * 1000) / 10}%`;
}

function shareChart(id, title, keys, shares, labelOf) {
  if (!shares || Object.keys(shares).length === 0) {
    return h(
      'div',
      { class: 'profile-part unknown', id },
      h('h4', {}, title),
      h('p', { class: 'muted' }, t('traitUnknown')),
    );
  }
  const bars = keys
    .filter((key) => shares[key] !== undefined)
    .map((key) => ({
      key,
      label: labelOf(key),
      value: shares[key],
      display: shareText(shares[key]),
      tone: 'info',
    }));
  return barChart({ id, title, bars });
}

function tags(id, title, list, prefix) {
  return h(
    'div',
    { class: 'profile-part', id },
    h('h4', {}, title),
    list && list.length > 0
      ? h(
          'ul',
          { class: 'tags' },
          list.map((tag) => h('li', { class: 'tag' }, prefix ? label(prefix, tag) : tag)),
        )
      : h('p', { class: 'muted' }, t('traitUnknown')),
  );
}

function level(id, title, value) {
  return h(
    'div',
    { class: 'profile-part', id },
    h('h4', {}, title),
    value
      ? h(
          'p',
          { class: `level level-${value}`, dataset: { level: value } },
          ['low', 'medium', 'high'].map((l) =>
            h('span', { class: l === value ? 'on' : '' }, label('level', l)),
          ),
        )
      : h('p', { class: 'muted' }, t('traitUnknown')),
  );
}

export function renderProfile(profile) {
  const audience = profile.traits?.audience ?? {};
  const content = profile.traits?.content ?? {};
  const performance = profile.traits?.performance ?? {};
  const perfEntries = Object.entries(performance);
  return h(
    'div',
    { class: 'profile', id: 'profile-view', dataset: { version: profile.version, source: profile.source } },
    h(
      'p',
      { class: 'profile-meta', id: 'profile-meta' },
      h('span', { class: `badge source-${profile.source}` }, label('source', profile.source)),
      ' ',
      t('profileMeta', { version: profile.version, asOf: formatShortTime(profile.asOf) }),
    ),
    h(
      'div',
      { class: 'profile-grid' },
      shareChart('profile-age-chart', t('ageBands'), AGE_BANDS, audience.ageBands, (k) => k),
      shareChart('profile-gender-chart', t('genderSplit'), GENDERS, audience.genderSplit, (k) =>
        label('gender', k),
      ),
      shareChart('profile-city-chart', t('cityTiers'), CITY_TIERS, audience.cityTiers, (k) =>
        label('tier', k),
      ),
      h(
        'div',
        { class: 'profile-side' },
        level('profile-price', t('priceSensitivity'), audience.priceSensitivity),
        level('profile-willingness', t('willingnessToPay'), audience.willingnessToPay),
        tags('profile-interests', t('interests'), audience.interests),
        tags('profile-styles', t('contentStyles'), content.preferredStyles, 'style'),
        content.notes
          ? h(
              'div',
              { class: 'profile-part', id: 'profile-notes' },
              h('h4', {}, t('contentNotes')),
              h('p', {}, content.notes),
            )
          : null,
      ),
    ),
    perfEntries.length > 0
      ? h(
          'details',
          { class: 'profile-performance', id: 'profile-performance' },
          h('summary', {}, t('performanceFigures')),
          h(
            'dl',
            { class: 'figures' },
            perfEntries.map(([key, value]) =>
              h('div', {}, h('dt', {}, label('perf', key)), h('dd', {}, String(value))),
            ),
          ),
        )
      : null,
  );
}
