// A new material (#/materials/new → POST /materials): its name and one or more variants, each with its
// targeting rule (a condition over a channel-profile trait; no rule makes it the default variant), its
// content and a live preview of how it shows. The API's field errors (`variants.1.rule.value`, …) show
// beside the inputs; nothing is created until the whole material is valid.
import { post } from '../api.js';
import { announce, h } from '../dom.js';
import { bindForm, field } from '../form.js';
import { t } from '../i18n.js';
import { contentInputs, OPS, renderPreview, TRAIT_PATHS } from '../registry/material-view.js';

/** A typed rule value: numbers as numbers; for `in`, a comma-separated list. */
export function parseRuleValue(op, text) {
  const one = (s) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);
  const trimmed = text.trim();
  if (op === 'in')
    return trimmed
      .split(/[,，]/)
      .map((s) => one(s.trim()))
      .filter((s) => s !== '');
  return one(trimmed);
}

function variantEditor(index, onRemove) {
  const prefix = `variants.${index}`;
  const key = h('input', {
    'data-field': `${prefix}.key`,
    maxlength: 64,
    spellcheck: 'false',
    'data-name': 'key',
  });
  const priority = h('input', {
    'data-field': `${prefix}.priority`,
    inputmode: 'numeric',
    'data-name': 'priority',
  });
  const trait = h('input', {
    'data-field': `${prefix}.rule.trait`,
    list: 'trait-paths',
    spellcheck: 'false',
    'data-name': 'trait',
  });
  const op = h('select', { 'data-field': `${prefix}.rule.op`, 'data-name': 'op' });
  const value = h('input', {
    'data-field': `${prefix}.rule.value`,
    spellcheck: 'false',
    'data-name': 'value',
  });
  const preview = h('div', { class: 'preview-slot' });
  const content = contentInputs(`${prefix}.content`, {}, () => drawPreview());
  const element = h('fieldset', {
    class: 'variant-editor',
    'data-field': prefix,
    dataset: { variant: index },
  });
  function drawPreview() {
    preview.replaceChildren(renderPreview(content.read(), `preview-${index}`));
  }
  function render() {
    const chosen = op.value;
    op.replaceChildren(...OPS.map((o) => h('option', { value: o }, `${t(`op_${o}`)} (${o})`)));
    op.value = chosen || 'eq';
    element.replaceChildren(
      h('legend', {}, t('variantN', { n: index + 1 })),
      h(
        'div',
        { class: 'variant-grid' },
        h(
          'div',
          { class: 'variant-fields' },
          h(
            'div',
            { class: 'grid' },
            field({ label: t('variantKey'), input: key, hint: t('variantKeyHint') }),
            field({ label: t('variantPriority'), input: priority, hint: t('variantPriorityHint') }),
          ),
          h(
            'div',
            { class: 'field rule-field', 'data-field': `${prefix}.rule` },
            h('span', { class: 'rule-label' }, t('targetingRule')),
            h(
              'div',
              { class: 'grid' },
              field({ label: t('ruleTrait'), input: trait, hint: t('ruleTraitHint') }),
              field({ label: t('ruleOp'), input: op }),
              field({ label: t('ruleValue'), input: value, hint: t('ruleValueHint') }),
            ),
          ),
          h('div', { class: 'grid' }, ...content.fields()),
          onRemove
            ? h('button', { type: 'button', class: 'danger-outline', onclick: onRemove }, t('removeVariant'))
            : null,
        ),
        h('div', { class: 'variant-preview' }, h('h3', {}, t('preview')), preview),
      ),
    );
    drawPreview();
  }
  function read() {
    const variant = { key: key.value.trim(), content: content.read() };
    const p = priority.value.trim();
    if (p !== '') variant.priority = /^-?\d+$/.test(p) ? Number(p) : p;
    if (trait.value.trim() !== '') {
      variant.rule = {
        trait: trait.value.trim(),
        op: op.value,
        value: parseRuleValue(op.value, value.value),
      };
    }
    return variant;
  }
  return { element, render, read };
}

export function materialFormPage(main) {
  const heading = h('h1', { id: 'page-title' });
  const back = h('a', { class: 'back-link', href: '#/materials' });
  const form = h('form', { class: 'editor card', id: 'material-form' });
  const name = h('input', { 'data-field': 'name', maxlength: 200, id: 'material-name' });
  const list = h('div', { class: 'variant-list', 'data-field': 'variants' });
  const traits = h(
    'datalist',
    { id: 'trait-paths' },
    TRAIT_PATHS.map((p) => h('option', { value: p })),
  );
  const addButton = h('button', { type: 'button', class: 'secondary', id: 'add-variant' });
  let editors = [];

  /** Lays the variants out again from their values: fields are named by position (variants.<i>…). */
  function relayout(values) {
    editors = values.map((_, i) => variantEditor(i, values.length > 1 ? () => remove(i) : null));
    list.replaceChildren(...editors.map((e) => e.element));
    editors.forEach((e, i) => {
      e.render();
      fillEditor(e, values[i]);
    });
  }
  function remove(i) {
    const values = editors.map((e) => e.read());
    values.splice(i, 1);
    relayout(values);
  }
  addButton.addEventListener('click', () => {
    // An empty variant, and every variant removable now that there are at least two.
    relayout([...editors.map((e) => e.read()), { key: '', content: {} }]);
    editors[editors.length - 1].element.querySelector('[data-name="key"]').focus();
  });

  bindForm(form, {
    submit: async () => {
      const body = { name: name.value.trim(), variants: editors.map((e) => e.read()) };
      const created = await post('/materials', body);
      announce(t('materialCreated', { name: created.name }));
      location.hash = `#/materials/${encodeURIComponent(created.id)}`;
    },
  });

  function render() {
    heading.textContent = t('newMaterial');
    back.textContent = t('backToMaterials');
    addButton.textContent = t('addVariant');
    const problem = form.querySelector(':scope > .form-problem');
    form.replaceChildren(
      ...(problem ? [problem] : []),
      field({ label: t('materialName'), input: name, wide: true }),
      list,
      traits,
      h(
        'div',
        { class: 'button-row' },
        addButton,
        h('button', { type: 'submit', class: 'primary', id: 'create-material' }, t('createMaterial')),
        h('a', { class: 'button', href: '#/materials' }, t('cancelEdit')),
      ),
    );
    if (editors.length === 0) {
      editors = [variantEditor(0, null)];
      list.replaceChildren(editors[0].element);
    }
    editors.forEach((e) => {
      const value = e.read();
      e.render();
      fillEditor(e, value);
    });
  }

  main.replaceChildren(
    h(
      'section',
      { class: 'page', 'aria-labelledby': 'page-title' },
      back,
      h('div', { class: 'page-head' }, heading),
      form,
    ),
  );
  render();
  return { rerender: render, dispose: () => {} };
}

/** Puts a read() value back into a (re-rendered) editor. */
function fillEditor(editor, v) {
  const el = editor.element;
  const set = (name, value) => {
    const input = el.querySelector(`[data-name="${name}"]`);
    if (input) input.value = value ?? '';
  };
  set('key', v.key);
  set('priority', v.priority ?? '');
  set('trait', v.rule?.trait ?? '');
  if (v.rule?.op) set('op', v.rule.op);
  set('value', Array.isArray(v.rule?.value) ? v.rule.value.join(', ') : (v.rule?.value ?? ''));
  const c = v.content ?? {};
  set('title', c.title);
  set('body', c.body);
  set('incentiveText', c.incentiveText);
  set('callToAction', c.callToAction);
  set('linkUrl', c.linkUrl);
  set('imageRefs', (c.imageRefs ?? []).join('\n'));
  set('styleTags', (c.styleTags ?? []).join(', '));
  el.querySelector('.preview-slot')?.replaceChildren(renderPreview(c, `preview-${el.dataset.variant}`));
}
