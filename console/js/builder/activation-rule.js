// The builder's activation rule (激活规则): "all" or "any" of a list of conditions, each "at least N
// events of a type", optionally counting only events of at least an amount each, or requiring their
// amounts to total at least a sum. One level is what a marketer states ("a deposit of ¥100 or three
// logins"); the API accepts deeper rules, written as JSON through the API.
import { h } from '../dom.js';
import { label, t } from '../i18n.js';
import { AMOUNTLESS, EVENT_TYPES, newCondition } from './draft.js';

/** A labelled input bound to `target[key]`; `field` is the API path its errors come back on. */
export function boundInput(
  target,
  key,
  { id, labelText, field, type = 'text', inputmode, hint, onInput, size } = {},
) {
  const input = h('input', {
    type,
    id,
    value: target[key],
    'data-field': field,
    inputmode,
    size,
    'data-focus-key': id,
    oninput: (event) => {
      target[key] = event.target.value;
      onInput?.();
    },
  });
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, labelText),
    input,
    hint ? h('p', { class: 'hint' }, hint) : null,
  );
}

export function boundSelect(target, key, options, { id, labelText, field, onChange } = {}) {
  const select = h(
    'select',
    {
      id,
      'data-field': field,
      'data-focus-key': id,
      onchange: (event) => {
        target[key] = event.target.value;
        onChange?.();
      },
    },
    options.map(([value, text]) => h('option', { value, selected: value === target[key] }, text)),
  );
  return h('div', { class: 'field' }, h('label', { for: id }, labelText), select);
}

/**
 * @param draft the builder draft (ruleMode, conditions)
 * @param rerender re-renders this section (after adding or removing a condition, or an event type change)
 */
export function renderActivationRule(draft, rerender) {
  const mode = draft.ruleMode;
  const rows = draft.conditions.map((condition, i) => {
    const at = `plan.activationRule.${mode}.${i}`;
    const amountless = AMOUNTLESS.has(condition.event);
    return h(
      'li',
      { class: 'condition-row', dataset: { index: i } },
      boundSelect(
        condition,
        'event',
        EVENT_TYPES.map((type) => [type, label('event', type)]),
        { id: `cond-${i}-event`, labelText: t('conditionEvent'), field: `${at}.event`, onChange: rerender },
      ),
      boundInput(condition, 'atLeast', {
        id: `cond-${i}-at-least`,
        labelText: t('conditionAtLeast'),
        field: `${at}.atLeast`,
        inputmode: 'numeric',
        size: 4,
      }),
      amountless
        ? h('p', { class: 'muted small' }, t('eventHasNoAmount'))
        : [
            boundInput(condition, 'minAmount', {
              id: `cond-${i}-min`,
              labelText: t('conditionMinAmount', { currency: draft.currency }),
              field: `${at}.minAmountMinor`,
              inputmode: 'decimal',
              size: 8,
            }),
            boundInput(condition, 'sumAtLeast', {
              id: `cond-${i}-sum`,
              labelText: t('conditionSumAtLeast', { currency: draft.currency }),
              field: `${at}.sumAmountMinorAtLeast`,
              inputmode: 'decimal',
              size: 8,
            }),
          ],
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small-button',
          id: `cond-${i}-remove`,
          disabled: draft.conditions.length === 1,
          'aria-label': t('removeConditionN', { n: i + 1 }),
          onclick: () => {
            draft.conditions.splice(i, 1);
            rerender();
          },
        },
        t('remove'),
      ),
    );
  });

  return [
    h(
      'fieldset',
      { class: 'field rule-mode', 'data-field': 'plan.activationRule' },
      h('legend', {}, t('ruleModeLegend')),
      ['all', 'any'].map((value) =>
        h(
          'label',
          { class: 'inline-check' },
          h('input', {
            type: 'radio',
            name: 'rule-mode',
            id: `rule-mode-${value}`,
            value,
            checked: mode === value,
            'data-focus-key': `rule-mode-${value}`,
            onchange: () => {
              draft.ruleMode = value;
              rerender();
            },
          }),
          t(`ruleMode_${value}`),
        ),
      ),
    ),
    h('ol', { class: 'conditions', id: 'conditions' }, rows),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        id: 'add-condition',
        onclick: () => {
          draft.conditions.push(newCondition());
          rerender();
        },
      },
      t('addCondition'),
    ),
  ];
}
