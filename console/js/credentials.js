// Who is using the console: the user name (sent as X-Actor, how the API names the acting user until API
// keys land) and the API key (sent as `Authorization: Bearer`). The key stays in sessionStorage (gone
// when the tab closes) unless the user ticks "remember", which keeps it in localStorage.

const ACTOR = 'console.actor';
const KEY = 'console.apiKey';

function read(storage, name) {
  try {
    return storage.getItem(name) ?? '';
  } catch {
    return '';
  }
}

function write(storage, name, value) {
  try {
    if (value) storage.setItem(name, value);
    else storage.removeItem(name);
  } catch {
    // storage disabled: the value lives until the page is closed
  }
}

const state = {
  actor: read(localStorage, ACTOR),
  apiKey: read(sessionStorage, KEY) || read(localStorage, KEY),
  remember: read(localStorage, KEY) !== '',
};

export const credentials = () => ({ actor: state.actor.trim(), apiKey: state.apiKey.trim() });

/** Wires the header form to the stored credentials; `onChange` runs (debounced) after an edit. */
export function bindCredentialsForm(form, onChange = () => {}) {
  const actor = form.querySelector('#actor');
  const apiKey = form.querySelector('#api-key');
  const remember = form.querySelector('#remember-key');
  actor.value = state.actor;
  apiKey.value = state.apiKey;
  remember.checked = state.remember;

  const save = () => {
    state.actor = actor.value;
    state.apiKey = apiKey.value;
    state.remember = remember.checked;
    write(localStorage, ACTOR, state.actor.trim());
    write(sessionStorage, KEY, state.remember ? '' : state.apiKey.trim());
    write(localStorage, KEY, state.remember ? state.apiKey.trim() : '');
  };
  let pending = null;
  const changed = () => {
    save();
    clearTimeout(pending);
    pending = setTimeout(onChange, 300);
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  // Enter in a field must not reload the page.
  form.addEventListener('submit', (event) => event.preventDefault());
}
