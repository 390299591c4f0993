// A campaign whose evaluation failed (phase `evaluation_failed`): says so with the workflow's reason and,
// to a role that may (ops, admin), offers the re-run (POST /campaigns/:id/rerun-evaluation) behind a
// confirmation, then shows what the re-run gave (completed, or failed again with the new reason). The
// outcome stays shown after the phase has moved on, until the page is left.
import { post } from '../api.js';
import { announce, h, swap } from '../dom.js';
import { confirmDialog } from '../dialog.js';
import { label, t } from '../i18n.js';
import { may } from '../session.js';

/**
 * @param {{ campaignId: string, onDone: () => Promise<void> }} options onDone reloads the page's data
 */
export function createEvaluationFailure({ campaignId, onDone }) {
  let campaign = null;
  /** The last re-run's answer (its state), or null before one. */
  let outcome = null;
  const title = h('h2', { id: 'evaluation-failure-title' });
  const body = h('p', {});
  const reason = h('p', { class: 'error', id: 'evaluation-failure-reason' });
  const result = h('p', { id: 'rerun-result', role: 'status' });
  const button = h('button', { type: 'button', id: 'rerun-evaluation', class: 'primary' });
  const controls = h('div', { class: 'button-row' });
  const element = h(
    'section',
    {
      class: 'card evaluation-failure',
      id: 'evaluation-failure',
      'aria-labelledby': 'evaluation-failure-title',
      hidden: true,
    },
    title,
    body,
    reason,
    controls,
    result,
  );

  let running = false;
  button.addEventListener('click', async () => {
    const confirmed = await confirmDialog({
      id: 'confirm-rerun-evaluation',
      title: t('rerunTitle'),
      body: t('rerunBody'),
      confirmLabel: t('confirmRerun'),
      onConfirm: async (why) => {
        running = true;
        update();
        try {
          const answer = await post(`/campaigns/${campaignId}/rerun-evaluation`, why ? { reason: why } : {});
          outcome = answer.state;
        } finally {
          running = false;
          update();
        }
      },
    });
    if (!confirmed) return;
    announce(outcomeText());
    await onDone();
  });

  function outcomeText() {
    if (!outcome) return '';
    return outcome.phase === 'evaluation_failed'
      ? t('rerunFailedAgain', { reason: outcome.failure ?? '—' })
      : t('rerunCompleted', { phase: label('phase', outcome.phase) });
  }

  function update(next) {
    if (next) campaign = next;
    const state = campaign?.workflow?.state ?? null;
    const failed = state?.phase === 'evaluation_failed';
    element.hidden = !failed && outcome === null;
    title.textContent = t(failed ? 'evalFailedTitle' : 'evalRerunTitle');
    body.textContent = t('evalFailedBody');
    body.hidden = !failed;
    reason.hidden = !failed || !state?.failure;
    reason.textContent = t('evalFailedReason', { reason: state?.failure ?? '' });
    button.textContent = running ? t('rerunning') : t('rerunEvaluation');
    button.disabled = running;
    const allowed = may('POST', '/campaigns/:id/rerun-evaluation');
    swap(
      controls,
      !failed ? null : allowed ? button : h('p', { class: 'muted small' }, t('evalFailedNoRight')),
    );
    result.textContent = outcomeText();
    result.className = outcome?.phase === 'evaluation_failed' ? 'error' : '';
  }

  update(null);
  return { element, update };
}
