// Small DOM helpers: build elements without innerHTML (API data is always inserted as text, never as
// markup), and replace a section on refresh without losing the keyboard user's place.

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, attrs) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An HTML element: h('button', { type: 'button', onclick }, 'Pause'). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

/** An SVG element, same signature as h(). */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

/**
 * Rebuilds `container` with `build()` only when `key` differs from the one it was last built with.
 * A page's periodic refresh calls its render() every few seconds; replacing a link or a select that
 * has not changed would swallow a click landing in between (mousedown on the old node, mouseup on
 * the new) or close an open dropdown.
 */
export function swapWhenChanged(container, key, build) {
  if (container.dataset.builtFor === key) return;
  container.dataset.builtFor = key;
  const built = build();
  swap(container, ...(Array.isArray(built) ? built : [built]));
}

/**
 * Replaces the content of `container` with `nodes`, keeping what a refresh must not take away: the
 * focused control (matched by id or data-focus-key) and which <details> (by id) were open.
 */
export function swap(container, ...nodes) {
  const active = document.activeElement;
  const focusKey =
    active && container.contains(active)
      ? active.dataset.focusKey || (active.id ? `#${active.id}` : null)
      : null;
  const open = new Set([...container.querySelectorAll('details[id]')].filter((d) => d.open).map((d) => d.id));
  container.replaceChildren();
  append(container, nodes);
  for (const d of container.querySelectorAll('details[id]')) if (open.has(d.id)) d.open = true;
  if (focusKey) {
    const target = focusKey.startsWith('#')
      ? container.querySelector(`[id="${CSS.escape(focusKey.slice(1))}"]`)
      : container.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
    target?.focus({ preventScroll: true });
  }
}

/** Says `message` to screen readers through the page's polite live region. */
export function announce(message) {
  const live = document.getElementById('live');
  if (!live) return;
  live.textContent = '';
  // A new text node after a tick makes screen readers read a repeated message again.
  setTimeout(() => (live.textContent = message), 50);
}

/** A list page's table: a caption for screen readers, one header row of column titles, the rows. */
export function dataTable({ id, caption, columns }, rows) {
  return h(
    'table',
    { class: 'data', id },
    h('caption', { class: 'visually-hidden' }, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((title) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

/** The "load more" button of a cursor-paginated list; nothing when there is no next page. */
export function loadMoreButton(nextCursor, text, loadMore, onError) {
  if (!nextCursor) return null;
  const onclick = () => void loadMore().catch(onError);
  return h('button', { type: 'button', class: 'secondary', id: 'load-more', onclick }, text);
}
