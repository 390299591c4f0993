// The head of a campaign's page (GET /campaigns/:id): its name, workflow status and phase, whether it is
// paused, its registration window, acquisition and placement progress.
import { h } from '../dom.js';
import { formatShortTime } from '../format.js';
import { label, t } from '../i18n.js';

export function renderBadges(campaign) {
  const wf = campaign.workflow ?? {};
  const state = wf.state;
  return [
    h(
      'span',
      { class: `badge wf-${wf.status}`, id: 'workflow-status' },
      `${t('workflowStatus')}: ${label('wf', wf.status)}`,
    ),
    h(
      'span',
      { class: `badge phase-${state?.phase ?? campaign.status}`, id: 'campaign-phase' },
      `${t('phase')}: ${label('phase', state?.phase ?? campaign.status)}`,
    ),
    state?.paused ? h('span', { class: 'badge paused', id: 'paused-badge' }, `⏸ ${t('pausedBadge')}`) : null,
  ];
}

export function renderFacts(campaign) {
  const state = campaign.workflow?.state;
  const window = state?.registrationWindow ?? campaign.plan?.registrationWindow;
  const item = (term, ...value) => h('div', {}, h('dt', {}, term), h('dd', {}, ...value));
  return [
    h(
      'dl',
      { class: 'facts' },
      window
        ? item(t('registrationWindow'), `${formatShortTime(window.start)} – ${formatShortTime(window.end)}`)
        : null,
      item(t('createdBy'), campaign.createdBy),
      state
        ? item(
            t('acquisition'),
            state.acquisitionOpen
              ? t('acquisitionOpen')
              : state.phase === 'awaiting_approval'
                ? t('acquisitionAwaitingApproval')
                : t('acquisitionClosed', { reason: label('closed', state.acquisitionClosedReason) }),
          )
        : null,
      state
        ? item(
            t('placements'),
            t('placementsSummary', { verified: state.placements.verified, total: state.placements.total }),
          )
        : null,
    ),
    // An evaluation failure has its own section (sections/evaluation-failure.js), reason included.
    state?.failure && state.phase !== 'evaluation_failed' ? h('p', { class: 'error' }, state.failure) : null,
    campaign.workflow?.stateError ? h('p', { class: 'muted small' }, t('stateUnavailable')) : null,
  ];
}
