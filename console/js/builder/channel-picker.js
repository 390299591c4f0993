// The builder's channel step: every active channel of the registry with a checkbox, and the latest
// profiles (渠道画像) of the chosen channels side by side — who is there (人) and what works there — so
// that the marketer picks channels by their audience, not by name. Each chosen checkbox carries the
// API path of its position in the request (`channels.<i>`), so a refusal of one channel shows beside it.
import { h } from '../dom.js';
import { formatMinor, formatPercent, formatShortTime } from '../format.js';
import { label, t } from '../i18n.js';

const shareText = (shares) =>
  Object.entries(shares ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([key, share]) => `${label('band', key)} ${formatPercent(String(share))}`)
    .join(' · ') || '—';

/** The rows of the side-by-side table: a label and how to read each profile. */
const TRAIT_ROWS = [
  ['traitSource', (p) => `${label('source', p.source)} · v${p.version} · ${formatShortTime(p.asOf)}`],
  ['traitAge', (p) => shareText(p.traits?.audience?.ageBands)],
  ['traitGender', (p) => shareText(p.traits?.audience?.genderSplit)],
  ['traitCityTiers', (p) => shareText(p.traits?.audience?.cityTiers)],
  ['traitInterests', (p) => (p.traits?.audience?.interests ?? []).join(', ') || '—'],
  ['traitPriceSensitivity', (p) => label('level', p.traits?.audience?.priceSensitivity)],
  ['traitWillingnessToPay', (p) => label('level', p.traits?.audience?.willingnessToPay)],
  ['traitStyles', (p) => (p.traits?.content?.preferredStyles ?? []).join(', ') || '—'],
  [
    'traitActivationRate',
    (p) => {
      const rate = p.traits?.performance?.activationRate;
      return rate === undefined ? '—' : formatPercent(String(rate));
    },
  ],
];

export function costText(costModel) {
  if (!costModel) return '—';
  return t(`cost_${costModel.type}`, { amount: formatMinor(costModel.amountMinor, costModel.currency) });
}

function kindText(channel) {
  const kind = label('kind', channel.kind);
  return channel.onlineType ? `${kind} · ${label('onlineType', channel.onlineType)}` : kind;
}

/**
 * @param {{ channels: object[], profiles: Map<string, object|null>, draft: object, onToggle: (code: string, on: boolean) => void }} args
 */
export function renderChannelPicker({ channels, profiles, draft, onToggle }) {
  const active = channels.filter((c) => c.status === 'active' && c.canShowMaterial);
  if (active.length === 0) return [h('p', { class: 'muted', id: 'no-channels' }, t('noChannelsToPick'))];
  const chosen = draft.channels;

  const rows = active.map((channel) => {
    const at = chosen.indexOf(channel.code);
    const box = h('input', {
      type: 'checkbox',
      id: `pick-${channel.code}`,
      value: channel.code,
      checked: at >= 0,
      'data-focus-key': `pick-${channel.code}`,
      // The request lists chosen channels in the order they were ticked: the API's `channels.<i>`.
      'data-field': at >= 0 ? `channels.${at}` : null,
      onchange: (event) => onToggle(channel.code, event.target.checked),
    });
    const profile = profiles.get(channel.code);
    return h(
      'tr',
      { dataset: { channel: channel.code } },
      h('td', { class: 'field pick' }, box),
      h(
        'th',
        { scope: 'row' },
        h('label', { for: box.id }, channel.name),
        h('span', { class: 'muted small block mono' }, channel.code),
      ),
      h('td', {}, kindText(channel)),
      h('td', { class: 'nowrap' }, costText(channel.costModel)),
      h('td', {}, profile ? t('profileVersionShort', { version: profile.version }) : t('noProfile')),
    );
  });

  const picked = chosen.map((code) => active.find((c) => c.code === code)).filter(Boolean);
  const comparison =
    picked.length === 0
      ? h('p', { class: 'muted', id: 'profile-compare' }, t('pickToCompare'))
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data compact compare', id: 'profile-compare' },
            h('caption', {}, t('profilesSideBySide')),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, t('trait')),
                picked.map((c) => h('th', { scope: 'col', dataset: { channel: c.code } }, c.name)),
              ),
            ),
            h(
              'tbody',
              {},
              TRAIT_ROWS.map(([key, read]) =>
                h(
                  'tr',
                  { dataset: { trait: key } },
                  h('th', { scope: 'row' }, t(key)),
                  picked.map((c) => {
                    const profile = profiles.get(c.code);
                    return h('td', {}, profile ? read(profile) : t('noProfile'));
                  }),
                ),
              ),
            ),
          ),
        );

  return [
    h(
      'fieldset',
      { class: 'field channel-pick', 'data-field': 'channels' },
      h('legend', {}, t('chooseChannels')),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data compact', id: 'channel-picker' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('colPick'))),
              ['colChannel', 'colKind', 'colCostModel', 'colProfile'].map((k) =>
                h('th', { scope: 'col' }, t(k)),
              ),
            ),
          ),
          h('tbody', {}, rows),
        ),
      ),
    ),
    comparison,
  ];
}
