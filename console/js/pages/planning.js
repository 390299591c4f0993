// Planning (#/planning): the budget (a slider and a number), candidate channels from the registry,
// the objective and per-channel minimum / maximum → POST /planning/allocations → the split per channel
// (an ECharts bar chart and a table holding the exact amounts), expected activations and AAC with their
// 95% intervals, each channel's reason, and the "no history" states. "Create a campaign from this plan"
// hands the allocation to the builder as per-channel caps (builder/plan-handoff.js). Amounts are typed
// and shown as exact decimals (BigInt); only the chart's bar lengths are floats.
import { ApiError, get, post } from '../api.js';
import { saveHandoff } from '../builder/plan-handoff.js';
import { toMinor } from '../builder/values.js';
import { announce, h, swap } from '../dom.js';
import { drawEchart } from '../echarts-chart.js';
import { exponentOf, formatMinor } from '../format.js';
import { label, t } from '../i18n.js';
import { currentUser, may } from '../session.js';

const CURRENCIES = ['CNY', 'HKD', 'USD', 'EUR'];
const OBJECTIVES = ['max_activations', 'min_aac', 'max_lroi'];

/** Integer minor units → the major-unit text a person types ("12345" CNY → "123.45"). */
function majorText(minor, currency) {
  const exp = exponentOf(currency);
  const digits = String(minor).padStart(exp + 1, '0');
  return exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

const one = (value) => (value === null || value === undefined ? '—' : value.toFixed(1));

/** "12.3 [10.1, 14.9]" — an unbounded end says so. */
function interval(e, show = one) {
  if (!e) return '—';
  const high = e.high === null ? t('planIntervalOpen') : show(e.high);
  return `${show(e.estimate)} [${show(e.low)}, ${high}]`;
}

export function planningPage(main) {
  const form = {
    currency: 'CNY',
    budget: '100000',
    sliderMax: '1000000',
    objective: 'max_activations',
    minimumActivations: '100',
    chosen: [],
    bounds: {},
  };
  let channels = [];
  let loaded = false;
  let loadError = null;
  let result = null;
  let refusal = null;
  let busy = false;
  let disposeChart = () => undefined;

  const heading = h('h1', { id: 'page-title' });
  const controls = h('form', { id: 'planning-form', class: 'card' });
  const body = h('section', { id: 'planning-result', class: 'card', 'aria-live': 'polite' });

  async function loadChannels() {
    try {
      channels = (await get('/channels?limit=200&status=active')).items;
    } catch (err) {
      loadError = err;
    }
    loaded = true;
    render();
  }

  function budgetMinor() {
    return toMinor(form.budget, form.currency);
  }

  function request() {
    const minor = budgetMinor();
    if (minor === null) return { error: t('planBudgetInvalid', { places: exponentOf(form.currency) }) };
    if (form.chosen.length === 0) return { error: t('planPickChannel') };
    const money = (text) => {
      if (String(text ?? '').trim() === '') return undefined;
      const value = toMinor(text, form.currency);
      return value === null
        ? { minor: -1, currency: form.currency }
        : { minor: value, currency: form.currency };
    };
    const objective =
      form.objective === 'min_aac'
        ? { type: 'min_aac', minimumActivations: Number(form.minimumActivations) }
        : { type: form.objective };
    return {
      body: {
        budget: { minor, currency: form.currency },
        objective,
        channels: form.chosen.map((code) => {
          const candidate = { channelCode: code };
          const min = money(form.bounds[code]?.min);
          const max = money(form.bounds[code]?.max);
          if (min) candidate.minimumSpend = min;
          if (max) candidate.maximumSpend = max;
          return candidate;
        }),
      },
    };
  }

  async function plan() {
    const { body: requestBody, error } = request();
    if (error) {
      refusal = { message: error, errors: [] };
      result = null;
      renderResult();
      return;
    }
    if (busy) return;
    busy = true;
    renderButton();
    try {
      result = await post('/planning/allocations', requestBody);
      refusal = null;
      announce(t('planResultTitle'));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refusal = { message: err.message, errors: err.problem?.errors ?? [] };
      result = null;
    } finally {
      busy = false;
    }
    renderButton();
    renderResult();
  }

  const button = h('div', { class: 'button-row' });
  function renderButton() {
    swap(
      button,
      h(
        'button',
        { type: 'submit', class: 'primary', id: 'run-plan', disabled: busy },
        t(busy ? 'planRunning' : 'planRun'),
      ),
    );
  }

  function budgetControls() {
    const max = toMinor(form.sliderMax, form.currency) ?? 0;
    const step = Math.max(1, Math.round(max / 1000));
    const number = h('input', {
      id: 'plan-budget',
      inputmode: 'decimal',
      value: form.budget,
      'data-focus-key': 'plan-budget',
      onchange: (e) => {
        form.budget = e.target.value;
        const minor = budgetMinor();
        if (minor !== null) slider.value = String(minor);
        if (result) void plan();
      },
    });
    const slider = h('input', {
      id: 'plan-budget-slider',
      type: 'range',
      min: 0,
      max,
      step,
      value: budgetMinor() ?? 0,
      'aria-label': t('planBudgetSlider'),
      'data-focus-key': 'plan-budget-slider',
      // While dragging only the number follows; on release the plan is asked for again.
      oninput: (e) => {
        form.budget = majorText(e.target.value, form.currency);
        number.value = form.budget;
      },
      onchange: () => {
        if (result) void plan();
      },
    });
    const sliderMax = h('input', {
      id: 'plan-slider-max',
      inputmode: 'decimal',
      size: 10,
      value: form.sliderMax,
      onchange: (e) => ((form.sliderMax = e.target.value), render()),
    });
    const currency = h(
      'select',
      {
        id: 'plan-currency',
        onchange: (e) => ((form.currency = e.target.value), (result = null), render()),
      },
      CURRENCIES.map((c) => h('option', { value: c, selected: c === form.currency }, c)),
    );
    return h(
      'div',
      { class: 'form-grid' },
      h('div', { class: 'field' }, h('label', { for: 'plan-currency' }, t('planCurrency')), currency),
      h(
        'div',
        { class: 'field', 'data-field': 'budget.minor' },
        h('label', { for: 'plan-budget' }, t('planBudget', { currency: form.currency })),
        number,
        slider,
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'plan-slider-max' }, t('planSliderMax', { currency: form.currency })),
        sliderMax,
      ),
    );
  }

  function objectiveControls() {
    const select = h(
      'select',
      {
        id: 'plan-objective',
        onchange: (e) => ((form.objective = e.target.value), render()),
      },
      OBJECTIVES.map((o) => h('option', { value: o, selected: o === form.objective }, label('objective', o))),
    );
    return h(
      'div',
      { class: 'form-grid' },
      h(
        'div',
        { class: 'field', 'data-field': 'objective' },
        h('label', { for: 'plan-objective' }, t('planObjective')),
        select,
      ),
      form.objective === 'min_aac'
        ? h(
            'div',
            { class: 'field', 'data-field': 'objective.minimumActivations' },
            h('label', { for: 'plan-minimum-activations' }, t('planMinimumActivations')),
            h('input', {
              id: 'plan-minimum-activations',
              inputmode: 'numeric',
              value: form.minimumActivations,
              onchange: (e) => (form.minimumActivations = e.target.value),
            }),
          )
        : null,
    );
  }

  function channelControls() {
    if (channels.length === 0) return h('p', { class: 'muted', id: 'plan-no-channels' }, t('planNoChannels'));
    const rows = channels.map((c) => {
      const on = form.chosen.includes(c.code);
      const bound = (which, key) =>
        h('input', {
          id: `plan-${which}-${c.code}`,
          inputmode: 'decimal',
          size: 10,
          disabled: !on,
          value: form.bounds[c.code]?.[which] ?? '',
          'aria-label': t(key, { channel: c.name ?? c.code }),
          onchange: (e) => {
            form.bounds[c.code] = { ...form.bounds[c.code], [which]: e.target.value };
          },
        });
      return h(
        'tr',
        { dataset: { channel: c.code } },
        h(
          'td',
          {},
          h(
            'label',
            { class: 'inline-check' },
            h('input', {
              type: 'checkbox',
              id: `plan-channel-${c.code}`,
              checked: on,
              'data-focus-key': `plan-channel-${c.code}`,
              onchange: (e) => {
                form.chosen = e.target.checked
                  ? [...form.chosen, c.code]
                  : form.chosen.filter((code) => code !== c.code);
                render();
              },
            }),
            h('span', {}, `${c.name ?? c.code} (${c.code})`),
          ),
        ),
        h(
          'td',
          { 'data-field': `channels.${form.chosen.indexOf(c.code)}.minimumSpend.minor` },
          bound('min', 'planMinFor'),
        ),
        h(
          'td',
          { 'data-field': `channels.${form.chosen.indexOf(c.code)}.maximumSpend.minor` },
          bound('max', 'planMaxFor'),
        ),
      );
    });
    return h(
      'div',
      {},
      h('p', { class: 'muted' }, t('planChannelsHint')),
      h(
        'table',
        { class: 'data', id: 'plan-channels' },
        h('caption', { class: 'visually-hidden' }, t('planChannels')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('planChannels')),
            h('th', { scope: 'col' }, t('planMin', { currency: form.currency })),
            h('th', { scope: 'col' }, t('planMax', { currency: form.currency })),
          ),
        ),
        h('tbody', {}, rows),
      ),
    );
  }

  function perActivation(value, currency) {
    if (!value) return '—';
    if (!value.defined) return label('planReason', value.reason);
    const money = (minor) => formatMinor(Math.round(minor), currency);
    return interval(value, money);
  }

  function resultTable(plan) {
    const budget = BigInt(plan.budget.minor);
    const rows = plan.channels.map((c) => {
      const noHistory = c.history.points === 0;
      const share = budget > 0n ? Number((BigInt(c.spend.minor) * 10_000n) / budget) / 100 : 0;
      return h(
        'tr',
        { dataset: { channel: c.channelCode, bound: c.bound }, class: noHistory ? 'no-history' : null },
        h('th', { scope: 'row' }, c.channelCode, c.materialVariant ? ` / ${c.materialVariant}` : ''),
        h(
          'td',
          { class: 'num plan-spend', dataset: { minor: String(c.spend.minor) } },
          formatMinor(c.spend.minor, c.spend.currency),
        ),
        h('td', { class: 'num' }, `${share.toFixed(2)}%`),
        h('td', { class: 'num' }, noHistory ? t('planNoHistory') : interval(c.expected.activations)),
        h('td', { class: 'num' }, perActivation(c.expected.aacMinor, plan.currency)),
        h(
          'td',
          { class: 'num' },
          c.expected.marginalAacMinor === null
            ? '—'
            : formatMinor(Math.round(c.expected.marginalAacMinor), plan.currency),
        ),
        h('td', {}, label('planBound', c.bound)),
        h(
          'td',
          {},
          noHistory
            ? h('span', { class: 'badge' }, t('planNoHistory'))
            : t('planHistoryText', {
                campaigns: c.history.campaigns,
                registrations: c.history.registrations,
                activations: c.history.activations,
              }),
        ),
        h('td', { class: 'plan-reason' }, c.reason),
      );
    });
    const columns = [
      'colPlanChannel',
      'colPlanSpend',
      'colPlanShare',
      'colPlanActivations',
      'colPlanAac',
      'colPlanMarginal',
      'colPlanBound',
      'colPlanHistory',
      'colPlanReason',
    ];
    return h(
      'table',
      { class: 'data', id: 'plan-table' },
      h('caption', { class: 'visually-hidden' }, t('planTableCaption')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((key) => h('th', { scope: 'col' }, t(key))),
        ),
      ),
      h('tbody', {}, rows),
    );
  }

  function chartOption(plan) {
    const exp = 10 ** exponentOf(plan.currency);
    return {
      title: { text: t('planChartTitle'), left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 80, right: 20, top: 40, bottom: 60 },
      xAxis: {
        type: 'category',
        data: plan.channels.map((c) => c.channelCode),
        axisLabel: { rotate: plan.channels.length > 4 ? 30 : 0 },
      },
      yAxis: { type: 'value', name: plan.currency },
      series: [
        {
          name: t('planChartSeries'),
          type: 'bar',
          data: plan.channels.map((c) => ({
            value: Number(c.spend.minor) / exp,
            itemStyle: { color: c.history.points === 0 ? '#9aa5b1' : '#2f6fdf' },
          })),
        },
      ],
    };
  }

  function totals(plan) {
    const money = (minor) => formatMinor(Math.round(minor), plan.currency);
    const activations = plan.totals.activations;
    const aac = plan.totals.aacMinor;
    const noHistoryAtAll = plan.channels.every((c) => c.history.points === 0);
    return h(
      'div',
      { id: 'plan-totals' },
      h(
        'p',
        {},
        t('planTotals', {
          allocated: formatMinor(plan.allocated.minor, plan.currency),
          unallocated: formatMinor(plan.unallocated.minor, plan.currency),
        }),
      ),
      noHistoryAtAll
        ? h('p', { class: 'notice', id: 'plan-no-history' }, t('planNoHistoryNote'))
        : [
            h(
              'p',
              { id: 'plan-total-activations' },
              t('planTotalActivations', {
                estimate: one(activations.estimate),
                low: one(activations.low),
                high: activations.high === null ? t('planIntervalOpen') : one(activations.high),
              }),
            ),
            h(
              'p',
              { id: 'plan-total-aac' },
              aac.defined
                ? t('planTotalAac', {
                    estimate: money(aac.estimate),
                    low: money(aac.low),
                    high: aac.high === null ? t('planIntervalOpen') : money(aac.high),
                  })
                : t('planTotalAacUndefined', { reason: label('planReason', aac.reason) }),
            ),
          ],
      h('p', { class: 'muted' }, t('planEstimates')),
    );
  }

  function useButton(plan) {
    const channelCaps = {};
    for (const c of plan.channels) if (c.spend.minor > 0) channelCaps[c.channelCode] = c.spend.minor;
    return h(
      'div',
      { class: 'button-row' },
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'use-plan-in-builder',
          onclick: () => {
            saveHandoff({ currency: plan.currency, budgetMinor: plan.budget.minor, channelCaps });
            location.hash = '#/campaigns/new?fromPlan=1';
          },
        },
        t('planUse'),
      ),
      h('span', { class: 'muted' }, t('planUseHint')),
    );
  }

  function renderResult() {
    disposeChart();
    disposeChart = () => undefined;
    const title = h('h2', {}, t('planResultTitle'));
    if (refusal) {
      const details = refusal.errors.map((e) => h('li', {}, `${e.field}: ${e.message}`));
      swap(
        body,
        title,
        h('p', { class: 'error', role: 'alert', id: 'plan-error' }, refusal.message),
        details.length ? h('ul', { id: 'plan-error-fields' }, details) : null,
      );
      return;
    }
    if (!result) {
      swap(body, title, h('p', { class: 'muted', id: 'plan-empty' }, t('planEmpty')));
      return;
    }
    const chart = h('div', { class: 'echart', id: 'plan-chart' });
    swap(
      body,
      title,
      totals(result),
      chart,
      resultTable(result),
      result.notes.length
        ? h(
            'details',
            { id: 'plan-notes', open: true },
            h('summary', {}, t('planNotes')),
            h(
              'ul',
              {},
              result.notes.map((n) => h('li', {}, n)),
            ),
          )
        : null,
      useButton(result),
    );
    disposeChart = drawEchart(chart, chartOption(result));
  }

  controls.onsubmit = (e) => {
    e.preventDefault();
    void plan();
  };

  function render() {
    heading.textContent = t('planningTitle');
    document.title = `${t('navPlanning')} · ${t('appTitle')}`;
    if (!may('POST', '/planning/allocations')) {
      // Planning is for the roles that may ask for a plan (marketer, admin); the API refuses others anyway.
      const why = t(currentUser() ? 'planNotAllowed' : 'builderNeedsKey');
      main.replaceChildren(
        h(
          'section',
          { class: 'page', 'aria-labelledby': 'page-title' },
          heading,
          h('p', { class: 'muted', id: 'planning-not-allowed' }, why),
        ),
      );
      return;
    }
    if (!loaded) {
      main.replaceChildren(
        h('section', { class: 'page' }, heading, h('p', { class: 'muted' }, t('loading'))),
      );
      return;
    }
    renderButton();
    swap(
      controls,
      loadError ? h('p', { class: 'error', role: 'alert' }, loadError.message) : null,
      budgetControls(),
      objectiveControls(),
      h('h2', {}, t('planChannels')),
      channelControls(),
      button,
    );
    renderResult();
    main.replaceChildren(
      h(
        'section',
        { class: 'page', 'aria-labelledby': 'page-title' },
        h('div', { class: 'page-head' }, heading),
        h('p', { class: 'muted' }, t('planningIntro')),
        controls,
        body,
      ),
    );
  }

  render();
  void loadChannels();
  return { rerender: render, dispose: () => disposeChart() };
}
