// Launch approval (maker-checker) on the campaign page: shown for a campaign that needs one. While it
// waits (phase awaiting_approval) it says why, and offers Approve / Reject behind a confirmation — a
// rejection needs its reason. The author sees both buttons disabled, with why (the API refuses them
// too: 403 approval-by-author); a role that may not approve sees why instead of buttons. Once decided
// it shows who decided, when, and the note.
import { post } from '../api.js';
import { announce, h, swap } from '../dom.js';
import { confirmDialog } from '../dialog.js';
import { formatMinor, formatShortTime, formatTime } from '../format.js';
import { label, t } from '../i18n.js';
import { currentUser, may } from '../session.js';

const DECISIONS = [
  {
    path: 'approval',
    id: 'approve-launch',
    text: 'approveLaunch',
    title: 'approveTitle',
    body: 'approveBody',
    confirm: 'confirmApprove',
    danger: false,
    payload: (why) => (why ? { note: why } : {}),
  },
  {
    path: 'rejection',
    id: 'reject-launch',
    text: 'rejectLaunch',
    title: 'rejectTitle',
    body: 'rejectBody',
    confirm: 'confirmReject',
    danger: true,
    payload: (why) => ({ reason: why }),
  },
];

/**
 * @param {{ campaignId: string, onDone: () => Promise<void> }} options onDone reloads the page's data
 */
export function createLaunchApproval({ campaignId, onDone }) {
  let campaign = null;
  const title = h('h2', { id: 'launch-approval-title' });
  const state = h('p', { id: 'launch-approval-state' });
  const explanation = h('p', { id: 'launch-approval-text' });
  const windowNote = h('p', { class: 'muted small' });
  const note = h('p', { class: 'muted', id: 'launch-approval-note' });
  const hint = h('p', { class: 'muted small', id: 'launch-approval-hint' });
  const buttons = DECISIONS.map((spec) => {
    const button = h('button', {
      type: 'button',
      id: spec.id,
      class: spec.danger ? 'danger-outline' : 'primary',
      'aria-describedby': 'launch-approval-hint',
    });
    button.addEventListener('click', async () => {
      const confirmed = await confirmDialog({
        id: `confirm-${spec.id}`,
        title: t(spec.title),
        body: t(spec.body),
        confirmLabel: t(spec.confirm),
        danger: spec.danger,
        onConfirm: async (why) => {
          if (spec.path === 'rejection' && !why) throw new Error(t('rejectReasonRequired'));
          await post(`/campaigns/${campaignId}/${spec.path}`, spec.payload(why));
        },
      });
      if (!confirmed) return;
      announce(t('approvalDone', { decision: t(spec.confirm), name: campaign?.name ?? campaignId }));
      await onDone();
    });
    return { spec, button };
  });
  const controls = h('div', { class: 'button-row' });
  const element = h(
    'section',
    {
      class: 'card launch-approval',
      id: 'launch-approval',
      'aria-labelledby': 'launch-approval-title',
      hidden: true,
    },
    title,
    state,
    explanation,
    windowNote,
    note,
    controls,
    hint,
  );

  function update(next) {
    if (next) campaign = next;
    const approval = campaign?.approval;
    element.hidden = !approval?.required;
    if (!approval?.required) return;
    title.textContent = t('approvalTitle');
    const live = campaign.workflow?.state?.approval ?? null;
    // The workflow decides first and the row follows a moment later: show whichever is further along.
    const decided = live && live.state !== 'pending' ? live : approval;
    const waiting = decided.state === 'pending';
    const stateText = label('approval', decided.state);
    state.replaceChildren(
      h('span', { class: `badge approval-${decided.state}` }, stateText),
      decided.by ? ` ${t('approvalDecided', { by: decided.by, at: formatTime(decided.at) })}` : '',
    );
    const plan = campaign.plan ?? {};
    const budget =
      plan.acquisitionBudgetMinor === null || plan.acquisitionBudgetMinor === undefined
        ? t('approvalNoBudget')
        : formatMinor(plan.acquisitionBudgetMinor, plan.currency ?? campaign.currency);
    const threshold = approval.threshold
      ? formatMinor(approval.threshold.amountMinor, approval.threshold.currency)
      : '—';
    explanation.hidden = !waiting;
    explanation.textContent = t('approvalWaiting', { budget, threshold });
    const end = plan.registrationWindow?.end;
    windowNote.hidden = !waiting || !end;
    windowNote.textContent = end ? t('approvalWindowNote', { end: formatShortTime(end) }) : '';
    note.hidden = !decided.note && decided.state !== 'expired';
    note.textContent =
      decided.state === 'expired'
        ? t('approvalExpiredText')
        : t('approvalNote', { note: decided.note ?? '' });

    const user = currentUser();
    const allowed = may('POST', '/campaigns/:id/approval');
    const isAuthor = Boolean(user && user.name === campaign.createdBy);
    const open = waiting && campaign.workflow?.state?.phase === 'awaiting_approval';
    for (const { spec, button } of buttons) {
      button.textContent = t(spec.text);
      button.disabled = !open || isAuthor;
    }
    // Swapped in and out rather than `hidden`: the button row's display rule would win over it. The
    // same elements come back, so a keyboard user's focus survives the page's refresh.
    swap(controls, ...(open && allowed ? buttons.map((b) => b.button) : []));
    hint.hidden = !open || (allowed && !isAuthor);
    hint.textContent = !allowed ? t('approvalNoRight') : t('approvalByAuthor', { name: user?.name ?? '' });
  }

  update(null);
  return { element, update };
}
