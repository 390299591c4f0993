// The builder's "use a plan" card: when the planning page handed over an allocation, its per-channel
// spend becomes the campaign's channel caps (`plan.pacing = { mode, channelCaps }`, fixed or adaptive);
// without one, a link to the planning page. The caps are shown exactly as they will be sent.
import { h } from '../dom.js';
import { formatMinor } from '../format.js';
import { label, t } from '../i18n.js';

export const PACING_MODES = ['fixed', 'adaptive'];

export function renderPacingPlan({ draft, handoff, onChange, onDiscard }) {
  if (!handoff) {
    return [
      h('p', { class: 'muted', id: 'pacing-no-plan' }, t('builderPacingNone')),
      h('a', { href: '#/planning', class: 'button-link', id: 'open-planner' }, t('builderPacingOpenPlanner')),
    ];
  }
  const codes = Object.keys(handoff.channelCaps);
  const use = h('input', {
    type: 'checkbox',
    id: 'use-plan',
    checked: draft.pacing !== null,
    'data-focus-key': 'use-plan',
    onchange: (e) => {
      draft.pacing = e.target.checked ? { mode: 'fixed', channelCaps: { ...handoff.channelCaps } } : null;
      onChange();
    },
  });
  const mode = h(
    'select',
    {
      id: 'pacing-mode',
      disabled: draft.pacing === null,
      'data-field': 'plan.pacing.mode',
      onchange: (e) => {
        if (draft.pacing) draft.pacing.mode = e.target.value;
        onChange();
      },
    },
    PACING_MODES.map((m) =>
      h('option', { value: m, selected: (draft.pacing?.mode ?? 'fixed') === m }, label('pacingMode', m)),
    ),
  );
  const rows = codes.map((code) =>
    h(
      'tr',
      { dataset: { channel: code }, class: draft.channels.includes(code) ? null : 'muted' },
      h('th', { scope: 'row' }, code),
      h(
        'td',
        { class: 'num', dataset: { minor: String(handoff.channelCaps[code]) } },
        formatMinor(handoff.channelCaps[code], handoff.currency),
      ),
    ),
  );
  return [
    h(
      'p',
      { id: 'pacing-plan-summary' },
      t('builderPacingFrom', {
        budget: formatMinor(handoff.budgetMinor, handoff.currency),
        count: codes.length,
      }),
    ),
    h(
      'div',
      { class: 'form-grid' },
      h('label', { class: 'inline-check' }, use, h('span', {}, t('builderPacingUse'))),
      h('div', { class: 'field' }, h('label', { for: 'pacing-mode' }, t('builderPacingMode')), mode),
    ),
    h(
      'table',
      { class: 'data', id: 'pacing-caps' },
      h('caption', {}, t('builderPacingCaption')),
      h('tbody', {}, rows),
    ),
    h(
      'button',
      { type: 'button', class: 'secondary', id: 'discard-plan', onclick: onDiscard },
      t('builderPacingDiscard'),
    ),
  ];
}
