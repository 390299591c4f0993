// Steering buttons — pause, resume, cancel — each behind a confirmation dialog. The buttons are made once
// and only updated on refresh, so a keyboard user's focus on one of them survives auto-refresh.
import { post } from '../api.js';
import { announce, h } from '../dom.js';
import { confirmDialog } from '../dialog.js';
import { t } from '../i18n.js';

const TERMINAL = ['completed', 'cancelled', 'failed', 'rejected'];
const ACTIONS = [
  { action: 'pause', title: 'pauseTitle', body: 'pauseBody', confirm: 'confirmPause', danger: false },
  { action: 'resume', title: 'resumeTitle', body: 'resumeBody', confirm: 'confirmResume', danger: false },
  { action: 'cancel', title: 'cancelTitle', body: 'cancelBody', confirm: 'confirmCancel', danger: true },
];

/**
 * @param {{ campaignId: string, onDone: () => Promise<void> }} options onDone reloads the page's data
 */
export function createActions({ campaignId, onDone }) {
  let campaign = null;
  const heading = h('h2', { id: 'actions-title', class: 'visually-hidden' });
  const hint = h('p', { class: 'muted small', id: 'actions-hint', hidden: true });
  const buttons = ACTIONS.map((spec) => {
    const button = h('button', {
      type: 'button',
      id: `action-${spec.action}`,
      class: spec.danger ? 'danger-outline' : 'secondary',
      'aria-describedby': 'actions-hint',
    });
    button.addEventListener('click', async () => {
      const name = campaign?.name ?? campaignId;
      const confirmed = await confirmDialog({
        id: `confirm-${spec.action}`,
        title: t(spec.title),
        body: t(spec.body),
        confirmLabel: t(spec.confirm),
        danger: spec.danger,
        onConfirm: (reason) => post(`/campaigns/${campaignId}/${spec.action}`, reason ? { reason } : {}),
      });
      if (!confirmed) return;
      announce(t('actionDone', { action: t(spec.action), name }));
      await onDone();
      // Pausing disables "pause": keep the keyboard user among the actions rather than on <body>.
      if (button.disabled) buttons.find((b) => !b.button.disabled)?.button.focus();
    });
    return { spec, button };
  });
  const element = h(
    'section',
    { class: 'actions', 'aria-labelledby': 'actions-title' },
    heading,
    h(
      'div',
      { class: 'button-row' },
      buttons.map((b) => b.button),
    ),
    hint,
  );

  /** Labels and enabled states from the campaign's live workflow state. */
  function update(next) {
    if (next) campaign = next;
    heading.textContent = t('actions');
    const state = campaign?.workflow?.state ?? null;
    const running =
      campaign?.workflow?.status === 'RUNNING' && state !== null && !TERMINAL.includes(state.phase);
    for (const { spec, button } of buttons) {
      button.textContent = t(spec.action);
      const allowed =
        running && (spec.action === 'pause' ? !state.paused : spec.action === 'resume' ? state.paused : true);
      button.disabled = !allowed;
    }
    hint.hidden = running || campaign === null;
    hint.textContent = t('actionsUnavailable');
  }

  update(null);
  return { element, update };
}
