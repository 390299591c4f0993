// The builder's education and engagement steps (用户教育 / 用户互动): one row per step (when after
// registration, what kind, through which channel, which material version, to whom, at what cost per
// message), and the steps laid out on a timeline of the new-customer period, so the marketer sees the
// rhythm of the plan — and a step that would fall after the period ends — before launch.
import { h, s } from '../dom.js';
import { label, t } from '../i18n.js';
import { boundInput, boundSelect } from './activation-rule.js';
import { AUDIENCES, DURATION_UNITS, durationMillis, newStep, STEP_KINDS } from './draft.js';

/** Amount + unit inputs for a builder duration; errors on the API path `field` show beside the amount. */
export function durationInput(target, key, { id, labelText, field, onInput }) {
  const value = target[key];
  return h(
    'div',
    { class: 'field duration' },
    h('label', { for: `${id}-amount` }, labelText),
    h(
      'div',
      { class: 'inline' },
      h('input', {
        id: `${id}-amount`,
        value: value.amount,
        inputmode: 'numeric',
        size: 5,
        'data-field': field,
        'data-focus-key': `${id}-amount`,
        oninput: (event) => {
          value.amount = event.target.value;
          onInput?.();
        },
      }),
      h(
        'select',
        {
          id: `${id}-unit`,
          'aria-label': t('durationUnit'),
          'data-focus-key': `${id}-unit`,
          onchange: (event) => {
            value.unit = event.target.value;
            onInput?.();
          },
        },
        DURATION_UNITS.map((unit) =>
          h('option', { value: unit, selected: unit === value.unit }, t(`unit_${unit}`)),
        ),
      ),
    ),
  );
}

const WIDTH = 640;
const AXIS_Y = 46;
const LEFT = 16;
const RIGHT = 16;

/** The steps on the new-customer period's time axis. */
export function renderStepTimeline(draft) {
  const period = durationMillis(draft.newCustomerPeriod);
  const steps = draft.steps.map((step, i) => ({ step, i, at: durationMillis(step.offset) }));
  const valid = Number.isFinite(period) && period > 0;
  const span = valid ? Math.max(period, ...steps.map((x) => (Number.isFinite(x.at) ? x.at : 0))) : 1;
  const area = WIDTH - LEFT - RIGHT;
  const xOf = (ms) => LEFT + (Math.min(Math.max(ms, 0), span) / span) * area;
  const lateSteps = steps.filter((x) => valid && x.at > period);

  const svg = s(
    'svg',
    {
      class: 'step-timeline',
      viewBox: `0 0 ${WIDTH} 96`,
      role: 'img',
      'aria-labelledby': 'step-timeline-caption',
      preserveAspectRatio: 'xMinYMin meet',
    },
    s('line', { class: 'axis', x1: LEFT, y1: AXIS_Y, x2: WIDTH - RIGHT, y2: AXIS_Y }),
    valid
      ? s('rect', { class: 'period', x: LEFT, y: AXIS_Y - 6, width: xOf(period) - LEFT, height: 12, rx: 3 })
      : null,
    s('text', { class: 'tick', x: LEFT, y: AXIS_Y + 26 }, t('timelineRegistration')),
    valid
      ? s(
          'text',
          { class: 'tick', x: xOf(period), y: AXIS_Y + 26, 'text-anchor': 'end' },
          t('timelinePeriodEnd'),
        )
      : null,
    steps
      .filter((x) => Number.isFinite(x.at))
      .map(({ step, i, at }) =>
        s(
          'g',
          {
            class: `step-mark kind-${step.kind}${valid && at > period ? ' late' : ''}`,
            dataset: { step: step.id, index: i },
          },
          s(
            'title',
            {},
            `${step.id}: ${label('stepKind', step.kind)} +${step.offset.amount}${t(`unitShort_${step.offset.unit}`)}`,
          ),
          s('circle', { cx: xOf(at), cy: AXIS_Y, r: 7 }),
          s(
            'text',
            { class: 'step-label', x: xOf(at), y: AXIS_Y - 14 - (i % 2) * 14, 'text-anchor': 'middle' },
            step.id,
          ),
        ),
      ),
  );
  const caption = steps.length === 0 ? t('noSteps') : t('stepTimelineCaption', { count: steps.length });
  return h(
    'figure',
    { class: 'chart-figure', id: 'step-timeline' },
    h('figcaption', { id: 'step-timeline-caption' }, caption),
    svg,
    lateSteps.length > 0
      ? h(
          'p',
          { class: 'warning', role: 'status' },
          t('stepsAfterPeriod', { ids: lateSteps.map((x) => x.step.id).join(', ') }),
        )
      : null,
    h(
      'p',
      { class: 'muted small' },
      t('sendingHoursNote', { start: draft.sendingStart, end: draft.sendingEnd, tz: draft.timeZone }),
    ),
  );
}

/**
 * @param draft the builder draft
 * @param options { deliveryChannels: channel[], versions: { id, label }[] }
 * @param rerender re-renders this section; refreshTimeline redraws only the timeline (while typing)
 */
export function renderEngagementSteps(draft, { deliveryChannels, versions }, rerender, refreshTimeline) {
  const rows = draft.steps.map((step, i) => {
    const at = `plan.engagementPlan.steps.${i}`;
    return h(
      'li',
      { class: 'step-row', dataset: { index: i } },
      h('h4', {}, t('stepN', { n: i + 1 })),
      h(
        'div',
        { class: 'form-grid' },
        boundInput(step, 'id', {
          id: `step-${i}-id`,
          labelText: t('stepId'),
          field: `${at}.id`,
          onInput: refreshTimeline,
        }),
        durationInput(step, 'offset', {
          id: `step-${i}-offset`,
          labelText: t('stepOffset'),
          field: `${at}.offset`,
          onInput: refreshTimeline,
        }),
        boundSelect(
          step,
          'kind',
          STEP_KINDS.map((k) => [k, label('stepKind', k)]),
          {
            id: `step-${i}-kind`,
            labelText: t('stepKind'),
            field: `${at}.kind`,
            onChange: refreshTimeline,
          },
        ),
        boundSelect(
          step,
          'channelCode',
          [['', t('chooseOne')], ...deliveryChannels.map((c) => [c.code, `${c.name} (${c.code})`])],
          { id: `step-${i}-channel`, labelText: t('stepChannel'), field: `${at}.channelCode` },
        ),
        boundSelect(
          step,
          'materialVersionId',
          [['', t('chooseOne')], ...versions.map((v) => [v.id, v.label])],
          {
            id: `step-${i}-version`,
            labelText: t('stepMaterialVersion'),
            field: `${at}.materialVersionId`,
          },
        ),
        boundSelect(
          step,
          'audience',
          AUDIENCES.map((a) => [a, label('audience', a)]),
          {
            id: `step-${i}-audience`,
            labelText: t('stepAudience'),
            field: `${at}.audience`,
          },
        ),
        boundInput(step, 'cost', {
          id: `step-${i}-cost`,
          labelText: t('stepCost', { currency: draft.currency }),
          field: `${at}.costPerMessageMinor`,
          inputmode: 'decimal',
          size: 8,
        }),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small-button',
          id: `step-${i}-remove`,
          'aria-label': t('removeStepN', { n: i + 1 }),
          onclick: () => {
            draft.steps.splice(i, 1);
            rerender();
          },
        },
        t('remove'),
      ),
    );
  });
  return [
    h('ol', { class: 'steps', id: 'steps', 'data-field': 'plan.engagementPlan' }, rows),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        id: 'add-step',
        onclick: () => {
          draft.steps.push(newStep(draft, draft.steps.length));
          rerender();
        },
      },
      t('addStep'),
    ),
  ];
}
