// The campaign builder (#/campaigns/new): channels chosen from the registry with their profiles side
// by side, the material and — from the API's dry run — which variant each channel will get and why,
// the schedule, money, activation rule, education/engagement steps on a timeline and the publishing
// policy. "Check" asks POST /campaigns/validate (creates nothing) and shows every field error beside
// its field; "Launch" sends POST /campaigns with one Idempotency-Key per launch attempt, so a double
// click or a retry after a lost reply makes one campaign. Shown only to roles that may create campaigns.
import { ApiError, get, newIdempotencyKey, orNull, post } from '../api.js';
import { renderActivationRule, boundInput, boundSelect } from '../builder/activation-rule.js';
import { renderChannelPicker } from '../builder/channel-picker.js';
import { emptyDraft, toRequest } from '../builder/draft.js';
import { durationInput, renderEngagementSteps, renderStepTimeline } from '../builder/engagement-steps.js';
import { renderPacingPlan } from '../builder/pacing-plan.js';
import { applyHandoff, clearHandoff, loadHandoff } from '../builder/plan-handoff.js';
import { renderPlanPreview } from '../builder/plan-preview.js';
import { announce, h, swap } from '../dom.js';
import { exponentOf } from '../format.js';
import { clearProblem, showProblem } from '../form.js';
import { label, t } from '../i18n.js';
import { hashQuery } from '../routes.js';
import { currentUser, may } from '../session.js';

const TIME_ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/London',
  'UTC',
];
const CURRENCIES = ['CNY', 'HKD', 'USD', 'EUR'];

function card(id, titleKey, body) {
  return h(
    'section',
    { class: 'card builder-section', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, t(titleKey)),
    body,
  );
}

export function campaignBuilderPage(main) {
  const draft = emptyDraft();
  const registry = {
    channels: [],
    profiles: new Map(),
    materials: [],
    material: null,
    loaded: false,
    error: null,
  };
  let dryRun = null;
  let busy = false;
  /** The launch attempt in flight or last refused: its key is reused only for the very same request. */
  let launch = null;
  /** The last refusal, shown again after a re-render (a language switch) until the next check or launch. */
  let refusal = null;

  const form = h('form', { id: 'campaign-builder', class: 'builder', novalidate: true });
  const channelsBody = h('div', { id: 'channels-body' });
  const stepsBody = h('div', { id: 'steps-body' });
  const timelineBody = h('div', { id: 'timeline-body' });
  const ruleBody = h('div', { id: 'rule-body' });
  const previewBody = h('div', { id: 'plan-preview', 'aria-live': 'polite' });
  const pacingBody = h('div', { id: 'pacing-plan' });
  /** A plan handed over by the planning page (#/planning → "create a campaign from this plan"). */
  let handoff = loadHandoff();

  async function loadRegistry() {
    try {
      const [channels, materials] = await Promise.all([
        get('/channels?limit=200&status=active'),
        get('/materials?limit=200'),
      ]);
      registry.channels = channels.items;
      registry.materials = materials.items;
      const profiles = await Promise.all(
        registry.channels.map((c) => orNull(get(`/channels/${encodeURIComponent(c.code)}/profile`))),
      );
      registry.profiles = new Map(registry.channels.map((c, i) => [c.code, profiles[i]]));
      registry.error = null;
    } catch (err) {
      registry.error = err;
    }
    registry.loaded = true;
    if (handoff && hashQuery().get('fromPlan') === '1')
      applyHandoff(
        draft,
        handoff,
        // only channels the picker offers (it lists those that can show material)
        registry.channels.filter((c) => c.canShowMaterial).map((c) => c.code),
        exponentOf(handoff.currency),
      );
    render();
  }

  async function loadMaterial(id) {
    registry.material = id ? await get(`/materials/${encodeURIComponent(id)}`) : null;
    renderSteps();
  }

  const draftChanged = () => {
    // What was checked no longer describes the draft.
    if (dryRun) {
      dryRun = null;
      swap(previewBody, ...renderPlanPreview(null));
    }
  };

  function renderPacing() {
    swap(
      pacingBody,
      ...renderPacingPlan({
        draft,
        handoff,
        onChange: () => (draftChanged(), renderPacing()),
        onDiscard: () => {
          clearHandoff();
          handoff = null;
          draft.pacing = null;
          draftChanged();
          renderPacing();
        },
      }),
    );
  }

  function renderChannels() {
    swap(
      channelsBody,
      ...renderChannelPicker({
        channels: registry.channels,
        profiles: registry.profiles,
        draft,
        onToggle: (code, on) => {
          draft.channels = on ? [...draft.channels, code] : draft.channels.filter((c) => c !== code);
          draftChanged();
          renderChannels();
          renderPacing(); // the caps shown follow the channels chosen
        },
      }),
    );
  }

  function renderRule() {
    swap(ruleBody, ...renderActivationRule(draft, () => (draftChanged(), renderRule())));
  }

  function versionOptions() {
    const material = registry.material;
    if (!material) return [];
    return material.variants.flatMap((variant) =>
      variant.versions.map((v) => ({
        id: v.id,
        label: `${variant.key} · ${t('versionN', { version: v.version })} · ${v.content?.title ?? ''}${v.approval === 'approved' ? '' : ` (${t('notApproved')})`}`,
      })),
    );
  }

  function renderTimeline() {
    swap(timelineBody, renderStepTimeline(draft));
  }

  function renderSteps() {
    const deliveryChannels = registry.channels.filter((c) => c.status === 'active' && c.canDeliverMessages);
    swap(
      stepsBody,
      ...renderEngagementSteps(
        draft,
        { deliveryChannels, versions: versionOptions() },
        () => (draftChanged(), renderSteps()),
        () => (draftChanged(), renderTimeline()),
      ),
    );
    renderTimeline();
  }

  const changed = () => draftChanged();

  function basics() {
    const materialSelect = boundSelect(
      draft,
      'materialId',
      [
        ['', t('chooseOne')],
        ...registry.materials.map((m) => [m.id, `${m.name} (${m.variants.map((v) => v.key).join(', ')})`]),
      ],
      {
        id: 'material',
        labelText: t('material'),
        field: 'materialId',
        onChange: () => {
          draftChanged();
          void loadMaterial(draft.materialId).catch((err) => showProblem(form, err));
        },
      },
    );
    return h(
      'div',
      { class: 'form-grid' },
      boundInput(draft, 'name', {
        id: 'campaign-name',
        labelText: t('campaignName'),
        field: 'name',
        onInput: changed,
      }),
      materialSelect,
    );
  }

  function schedule() {
    return h(
      'div',
      { class: 'form-grid' },
      boundSelect(
        draft,
        'timeZone',
        TIME_ZONES.map((z) => [z, z]),
        {
          id: 'time-zone',
          labelText: t('timeZone'),
          field: 'plan.timeZone',
          onChange: () => (draftChanged(), renderTimeline()),
        },
      ),
      boundInput(draft, 'windowStart', {
        id: 'window-start',
        type: 'datetime-local',
        labelText: t('windowStart'),
        field: 'plan.registrationWindow.start',
        onInput: changed,
      }),
      boundInput(draft, 'windowEnd', {
        id: 'window-end',
        type: 'datetime-local',
        labelText: t('windowEnd'),
        field: 'plan.registrationWindow.end',
        onInput: changed,
      }),
      durationInput(draft, 'newCustomerPeriod', {
        id: 'period',
        labelText: t('newCustomerPeriod'),
        field: 'plan.newCustomerPeriod',
        onInput: () => (draftChanged(), renderTimeline()),
      }),
      durationInput(draft, 'cohortGranularity', {
        id: 'cohort',
        labelText: t('cohortGranularity'),
        field: 'plan.cohortGranularity',
        onInput: changed,
      }),
      boundInput(draft, 'sendingStart', {
        id: 'sending-start',
        labelText: t('sendingStart'),
        field: 'plan.sendingHours.start',
        hint: t('hourMinuteHint'),
        size: 6,
        onInput: () => (draftChanged(), renderTimeline()),
      }),
      boundInput(draft, 'sendingEnd', {
        id: 'sending-end',
        labelText: t('sendingEnd'),
        field: 'plan.sendingHours.end',
        hint: t('hourMinuteHint'),
        size: 6,
        onInput: () => (draftChanged(), renderTimeline()),
      }),
    );
  }

  function money() {
    return h(
      'div',
      { class: 'form-grid' },
      boundSelect(
        draft,
        'currency',
        CURRENCIES.map((c) => [c, c]),
        {
          id: 'currency',
          labelText: t('currency'),
          field: 'plan.currency',
          onChange: () => (draftChanged(), renderRule(), renderSteps()),
        },
      ),
      boundInput(draft, 'perRegistration', {
        id: 'incentive-registration',
        labelText: t('incentivePerRegistration', { currency: draft.currency }),
        field: 'plan.incentive.perRegistrationMinor',
        inputmode: 'decimal',
        onInput: changed,
      }),
      boundInput(draft, 'perActivation', {
        id: 'incentive-activation',
        labelText: t('incentivePerActivation', { currency: draft.currency }),
        field: 'plan.incentive.perActivationMinor',
        inputmode: 'decimal',
        onInput: changed,
      }),
      boundInput(draft, 'budget', {
        id: 'budget',
        labelText: t('acquisitionBudget', { currency: draft.currency }),
        field: 'plan.acquisitionBudgetMinor',
        inputmode: 'decimal',
        hint: t('budgetHint'),
        onInput: changed,
      }),
      boundInput(draft, 'controlPercent', {
        id: 'control-share',
        labelText: t('controlShare'),
        field: 'plan.controlGroupShare',
        inputmode: 'decimal',
        hint: t('controlShareHint'),
        onInput: changed,
      }),
    );
  }

  function publishing() {
    return h(
      'div',
      { class: 'form-grid' },
      h(
        'fieldset',
        { class: 'field', 'data-field': 'plan.publishing.policy' },
        h('legend', {}, t('publishingPolicy')),
        ['best-effort', 'all-or-nothing'].map((policy) =>
          h(
            'label',
            { class: 'inline-check block' },
            h('input', {
              type: 'radio',
              name: 'publishing-policy',
              id: `policy-${policy}`,
              value: policy,
              checked: draft.publishingPolicy === policy,
              onchange: () => {
                draft.publishingPolicy = policy;
                draftChanged();
              },
            }),
            h(
              'span',
              {},
              label('policy', policy),
              h('span', { class: 'muted small block' }, t(`policyHint_${policy}`)),
            ),
          ),
        ),
      ),
      durationInput(draft, 'verifyEvery', {
        id: 'verify-every',
        labelText: t('verifyEvery'),
        field: 'plan.publishing.verifyEvery',
        onInput: changed,
      }),
      // plan.attribution.rule; the windows are each channel's, in the registry.
      h(
        'fieldset',
        { class: 'field', 'data-field': 'plan.attribution.rule', id: 'attribution-rule' },
        h('legend', {}, t('builderAttribution')),
        h('p', { class: 'muted small' }, t('builderAttributionHint')),
        ['last_touch', 'first_touch'].map((rule) =>
          h(
            'label',
            { class: 'inline-check block' },
            h('input', {
              type: 'radio',
              name: 'attribution-rule',
              id: `attribution-${rule}`,
              value: rule,
              checked: (draft.attributionRule ?? 'last_touch') === rule,
              onchange: () => {
                draft.attributionRule = rule;
                draftChanged();
              },
            }),
            h('span', {}, label('attributionRule', rule)),
          ),
        ),
      ),
    );
  }

  async function check() {
    clearProblem(form);
    const body = toRequest(draft);
    dryRun = await post('/campaigns/validate', body);
    swap(previewBody, ...renderPlanPreview(dryRun));
    announce(t('draftValid'));
    previewBody.scrollIntoView({ block: 'nearest' });
  }

  async function launchCampaign() {
    clearProblem(form);
    const body = toRequest(draft);
    const serialized = JSON.stringify(body);
    if (launch?.serialized !== serialized) launch = { key: newIdempotencyKey(), serialized };
    const created = await post('/campaigns', body, launch.key);
    announce(t('launched', { name: created.name }));
    location.hash = `#/campaigns/${created.id}`;
  }

  async function run(action) {
    if (busy) return; // a double click while a request is in flight is the same attempt
    busy = true;
    renderButtons();
    refusal = null;
    try {
      await action();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refusal = err;
      showProblem(form, err);
    } finally {
      busy = false;
      if (form.isConnected) renderButtons();
    }
  }

  const buttons = h('div', { class: 'button-row builder-actions' });
  function renderButtons() {
    swap(
      buttons,
      may('POST', '/campaigns/validate')
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              id: 'check-draft',
              disabled: busy,
              onclick: () => void run(check),
            },
            t('checkDraft'),
          )
        : null,
      may('POST', '/campaigns')
        ? h('button', { type: 'submit', class: 'primary', id: 'launch', disabled: busy }, t('launch'))
        : null,
    );
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (may('POST', '/campaigns')) void run(launchCampaign);
  });

  function render() {
    const heading = h('h1', { id: 'page-title' }, t('builderTitle'));
    document.title = `${t('builderTitle')} · ${t('appTitle')}`;
    if (!may('POST', '/campaigns')) {
      main.replaceChildren(
        h(
          'section',
          { class: 'page', 'aria-labelledby': 'page-title' },
          h('a', { href: '#/', class: 'back-link' }, t('backToList')),
          heading,
          h(
            'p',
            { class: 'muted', id: 'builder-not-allowed' },
            t(currentUser() ? 'builderNotAllowed' : 'builderNeedsKey'),
          ),
        ),
      );
      return;
    }
    if (!registry.loaded) {
      main.replaceChildren(
        h('section', { class: 'page' }, heading, h('p', { class: 'muted' }, t('loading'))),
      );
      return;
    }
    renderChannels();
    renderRule();
    renderSteps();
    renderPacing();
    renderButtons();
    swap(previewBody, ...renderPlanPreview(dryRun));
    form.replaceChildren(
      // (replaceChildren would write a null out as the text "null")
      ...(registry.error ? [h('p', { class: 'error', role: 'alert' }, registry.error.message)] : []),
      card('builder-basics', 'builderBasics', basics()),
      card('builder-channels', 'builderChannels', channelsBody),
      card('builder-schedule', 'builderSchedule', schedule()),
      card('builder-money', 'builderMoney', money()),
      card('builder-pacing', 'builderPacing', pacingBody),
      card('builder-rule', 'builderRule', ruleBody),
      card('builder-steps', 'builderSteps', h('div', {}, timelineBody, stepsBody)),
      card('builder-publishing', 'builderPublishing', publishing()),
      card('builder-preview', 'builderPreview', previewBody),
      buttons,
    );
    main.replaceChildren(
      h(
        'section',
        { class: 'page', 'aria-labelledby': 'page-title' },
        h('a', { href: '#/', class: 'back-link' }, t('backToList')),
        h('div', { class: 'page-head' }, heading),
        h('p', { class: 'muted' }, t('builderIntro')),
        form,
      ),
    );
    if (refusal) showProblem(form, refusal);
  }

  render();
  void loadRegistry();
  return { rerender: render, dispose: () => undefined };
}
