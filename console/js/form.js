// The one form helper every editing page uses. A form's inputs name the API field they fill with
// `data-field` (a body path as the API names it: `name`, `costModel.amountMinor`, `variants.1.rule`).
// When the API refuses a save, its problem+json `errors` ([{ field, message }], api/problem.ts) are shown
// beside those inputs (the input with the same path, else the one whose path is the longest prefix of
// it), the rest in a summary at the top of the form; nothing on the page changes until a save succeeds.
// A 412 (the resource changed since it was read: If-Match / ETag) says someone else changed it and
// offers a reload instead.
import { ApiError } from './api.js';
import { announce, h } from './dom.js';
import { t } from './i18n.js';

let uid = 0;

/** A labelled control: `<div class="field">` with the label, the input, an optional hint. */
export function field({ label, input, hint, wide = false }) {
  if (!input.id) input.id = `f-${++uid}`;
  const hintEl = hint ? h('p', { class: 'hint', id: `${input.id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h(
    'div',
    { class: `field${wide ? ' wide' : ''}` },
    h('label', { for: input.id }, label),
    input,
    hintEl,
  );
}

/** The summary box at the top of the form (created once). */
function summaryOf(form) {
  let box = form.querySelector(':scope > .form-problem');
  if (!box) {
    box = h('div', { class: 'form-problem', role: 'alert', tabindex: -1, hidden: true });
    form.prepend(box);
  }
  return box;
}

/** Removes every error the last refusal showed. */
export function clearProblem(form) {
  const box = summaryOf(form);
  box.hidden = true;
  box.replaceChildren();
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
    const described = (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id && !id.endsWith('-error'));
    if (described.length) el.setAttribute('aria-describedby', described.join(' '));
    else el.removeAttribute('aria-describedby');
  }
}

/** The input for an API field path: an exact `data-field`, else the longest one that is a prefix. */
export function inputFor(form, path) {
  let best = null;
  for (const el of form.querySelectorAll('[data-field]')) {
    const name = el.dataset.field;
    const fits = path === name || path.startsWith(`${name}.`) || name === '(body)';
    if (fits && (!best || name.length > best.dataset.field.length || best.dataset.field === '(body)'))
      best = el;
  }
  return best;
}

function markInvalid(input, messages) {
  const id = `${input.id || `f-${++uid}`}-error`;
  if (!input.id) input.id = id.replace(/-error$/, '');
  const error = h(
    'p',
    { class: 'field-error', id, dataset: { fieldError: input.dataset.field } },
    messages.join('; '),
  );
  const wrapper = input.closest('.field') ?? input;
  wrapper.append(error);
  input.setAttribute('aria-invalid', 'true');
  const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  input.setAttribute('aria-describedby', [...described, id].join(' '));
}

/**
 * Shows why a save was refused. `onReload` (for a 412) reloads the resource and the form from the API.
 * Returns true when it was a stale edit.
 */
export function showProblem(form, err, { onReload } = {}) {
  clearProblem(form);
  const box = summaryOf(form);
  const problem = err instanceof ApiError ? err.problem : null;
  const status = err instanceof ApiError ? err.status : 0;
  box.hidden = false;

  if (status === 412) {
    box.classList.add('stale');
    const current = problem?.currentVersion;
    box.append(
      h('p', { class: 'stale-message' }, t('staleEdit', { version: current ?? '?' })),
      ...(onReload
        ? [
            h(
              'button',
              { type: 'button', class: 'primary', id: 'reload-stale', onclick: () => onReload() },
              t('reloadLatest'),
            ),
          ]
        : []),
    );
    box.focus();
    announce(t('staleEdit', { version: current ?? '?' }));
    return true;
  }
  box.classList.remove('stale');

  const errors = Array.isArray(problem?.errors) ? problem.errors : [];
  const byInput = new Map();
  const unplaced = [];
  for (const e of errors) {
    const input = inputFor(form, String(e.field));
    const text = input && input.dataset.field !== e.field ? `${e.field}: ${e.message}` : e.message;
    if (input) byInput.set(input, [...(byInput.get(input) ?? []), text]);
    else unplaced.push(`${e.field}: ${e.message}`);
  }
  for (const [input, messages] of byInput) markInvalid(input, messages);

  box.append(
    h(
      'p',
      {},
      errors.length > 0
        ? t('saveRefusedFields', { count: errors.length })
        : t('saveRefused', { message: err.message }),
    ),
    // Element.append writes a null out as the text "null": leave it out instead.
    ...(unplaced.length > 0
      ? [
          h(
            'ul',
            {},
            unplaced.map((m) => h('li', {}, m)),
          ),
        ]
      : []),
  );
  const first = byInput.keys().next().value;
  (first ?? box).focus();
  announce(box.textContent);
  return false;
}

/**
 * Wires a form: on submit, clears the last errors, disables its buttons, runs `submit()`; a refusal is
 * shown with showProblem (the form keeps what the user typed). `onReload` handles a stale edit.
 */
export function bindForm(form, { submit, onReload }) {
  form.noValidate = true; // the API's field errors are the ones shown, in the console's own words
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = [...form.querySelectorAll('button')];
    clearProblem(form);
    for (const b of buttons) b.disabled = true;
    try {
      await submit();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showProblem(form, err, { onReload });
    } finally {
      for (const b of buttons) if (b.isConnected) b.disabled = false;
    }
  });
}

/** Parses a JSON textarea; an unparsable one is reported beside it like an API field error. */
export function parseJsonField(form, input) {
  try {
    return JSON.parse(input.value);
  } catch (err) {
    const field = input.dataset.field;
    throw new ApiError(400, {
      title: 'Invalid JSON',
      detail: t('invalidJson'),
      errors: [
        {
          field,
          message: t('invalidJsonDetail', { message: err instanceof Error ? err.message : String(err) }),
        },
      ],
    });
  }
}
