// One campaign: its status and steering actions, the funnel, per-channel AAC/CAC/LROI, the placement
// matrix and the timeline. Every part loads on its own (one failing endpoint leaves the others shown) and
// the page refreshes every few seconds while the workflow runs.
import { ApiError, get, orNull, post } from '../api.js';
import { announce, h, swap } from '../dom.js';
import { t } from '../i18n.js';
import { createRefresher } from '../refresher.js';
import { createActions } from '../sections/actions.js';
import { createAdjustments } from '../sections/adjustments.js';
import { renderEvaluation } from '../sections/evaluation.js';
import { createEvaluationFailure } from '../sections/evaluation-failure.js';
import { createLaunchApproval } from '../sections/launch-approval.js';
import { renderFunnel } from '../sections/funnel.js';
import { renderPacing } from '../sections/pacing.js';
import { renderPlacements } from '../sections/placements.js';
import { renderBadges, renderFacts } from '../sections/summary.js';
import { renderTimeline } from '../sections/timeline.js';

const REFRESH_MS = 5_000;

async function loadTimeline(id) {
  const timeline = await orNull(get(`/campaigns/${id}/timeline`));
  if (timeline) return { source: 'timeline', body: timeline };
  return { source: 'history', body: await get(`/campaigns/${id}/history?pageSize=1000`) };
}

function section(id, titleKey) {
  const title = h('h2', { id: `${id}-title` });
  const body = h('div', { class: 'section-body', id: `${id}-body`, 'aria-busy': 'true' });
  const element = h('section', { class: `card ${id}`, id, 'aria-labelledby': `${id}-title` }, title, body);
  return { element, body, renderTitle: () => (title.textContent = t(titleKey)) };
}

export function campaignDetailPage(main, id) {
  const data = {
    campaign: null,
    funnel: null,
    evaluation: undefined,
    placements: null,
    timeline: null,
    pacing: null,
  };
  const errors = {};

  const back = h('a', { href: '#/', class: 'back-link' });
  const heading = h('h1', { id: 'page-title' });
  const badges = h('div', { class: 'badges' });
  const facts = h('div', { class: 'facts-wrap' });
  const notFound = h('p', { class: 'error', role: 'alert', hidden: true });

  const funnel = section('funnel', 'funnelTitle');
  const evaluation = section('evaluation', 'evaluationTitle');
  const placements = section('placements', 'placementsTitle');
  const timeline = section('timeline', 'timelineTitle');
  const pacing = section('pacing', 'pacingTitle');

  const computeButton = h('button', { type: 'button', id: 'compute-evaluation', class: 'primary' });
  let computing = false;
  computeButton.addEventListener('click', async () => {
    computing = true;
    renderComputeButton();
    try {
      const report = await post(`/campaigns/${id}/evaluation`, {});
      data.evaluation = report;
      announce(t(report.reused ? 'evaluationReused' : 'evaluationComputed', { version: report.version }));
      errors.evaluation = null;
    } catch (err) {
      errors.evaluation = err;
    } finally {
      computing = false;
      render();
    }
  });
  function renderComputeButton() {
    computeButton.disabled = computing;
    computeButton.textContent = computing
      ? t('computing')
      : t(data.evaluation ? 'recomputeProvisional' : 'computeProvisional');
  }

  const actions = createActions({ campaignId: id, onDone: () => refresher.run() });
  const adjustments = createAdjustments({ campaignId: id, onDone: () => refresher.run() });
  const evaluationFailure = createEvaluationFailure({ campaignId: id, onDone: () => refresher.run() });
  const launchApproval = createLaunchApproval({ campaignId: id, onDone: () => refresher.run() });

  const settle = async (key, promise) => {
    try {
      data[key] = await promise;
      errors[key] = null;
    } catch (err) {
      errors[key] = err;
    }
  };

  async function load() {
    await Promise.all([
      settle('campaign', get(`/campaigns/${id}`)),
      settle('funnel', get(`/campaigns/${id}/funnel`)),
      settle('evaluation', orNull(get(`/campaigns/${id}/evaluation`))),
      settle('placements', get(`/campaigns/${id}/placements`)),
      settle('timeline', loadTimeline(id)),
      adjustments.refresh(),
      settle('pacing', get(`/campaigns/${id}/pacing?limit=200`)),
    ]);
    render();
    // The page as a whole failed only when the campaign itself could not be read.
    if (errors.campaign) throw errors.campaign;
  }

  const refresher = createRefresher({
    intervalMs: REFRESH_MS,
    load,
    // Poll while the workflow runs or is about to start; a finished campaign no longer changes.
    active: () => !data.campaign || ['RUNNING', 'START_PENDING'].includes(data.campaign.workflow?.status),
  });

  function fill(part, key, renderFn) {
    part.renderTitle();
    const loading = (data[key] === null || data[key] === undefined) && !errors[key];
    part.body.setAttribute('aria-busy', String(loading));
    if (errors[key]) {
      swap(part.body, h('p', { class: 'error', role: 'alert' }, errors[key].message));
    } else if (loading) {
      swap(part.body, h('p', { class: 'muted' }, t('loading')));
    } else {
      swap(part.body, ...renderFn());
    }
  }

  function render() {
    back.textContent = t('backToList');
    const campaign = data.campaign;
    const missing = errors.campaign instanceof ApiError && errors.campaign.status === 404;
    notFound.hidden = !missing;
    notFound.textContent = t('campaignNotFound');
    heading.textContent = campaign?.name ?? (missing ? t('campaignNotFound') : t('loading'));
    if (campaign) {
      document.title = `${campaign.name} · ${t('appTitle')}`;
      swap(badges, ...renderBadges(campaign));
      swap(facts, ...renderFacts(campaign));
    }
    actions.update(campaign);
    evaluationFailure.update(campaign);
    launchApproval.update(campaign);
    renderComputeButton();
    fill(funnel, 'funnel', () => renderFunnel(data.funnel));
    evaluation.renderTitle();
    const evaluationLoading = data.evaluation === undefined && !errors.evaluation;
    evaluation.body.setAttribute('aria-busy', String(evaluationLoading));
    if (evaluationLoading) {
      swap(evaluation.body, h('p', { class: 'muted' }, t('loading')));
    } else {
      swap(
        evaluation.body,
        ...(errors.evaluation ? [h('p', { class: 'error', role: 'alert' }, errors.evaluation.message)] : []),
        ...renderEvaluation(data.evaluation ?? null, campaign?.channels ?? [], computeButton),
      );
    }
    fill(placements, 'placements', () => renderPlacements(data.placements));
    adjustments.render(campaign);
    fill(pacing, 'pacing', () =>
      renderPacing(data.pacing, campaign, { campaignId: id, onDone: () => refresher.run() }),
    );
    fill(timeline, 'timeline', () => renderTimeline(data.timeline, campaign?.channels ?? []));
    refresher.renderStatus();
  }

  main.replaceChildren(
    h(
      'article',
      { class: 'page detail', 'aria-labelledby': 'page-title' },
      back,
      h(
        'header',
        { class: 'page-head' },
        h('div', { class: 'title-block' }, heading, badges),
        refresher.toolbar,
      ),
      notFound,
      h('div', { class: 'summary-row' }, facts, actions.element),
      launchApproval.element,
      evaluationFailure.element,
      h('div', { class: 'grid-2' }, funnel.element, evaluation.element),
      placements.element,
      adjustments.element,
      pacing.element,
      timeline.element,
    ),
  );
  render();
  void refresher.run();

  return { rerender: render, dispose: () => refresher.stop() };
}
