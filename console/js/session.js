// Who is using the console, as the API sees them (GET /me: name, role and the routes the role may
// call). Pages ask `may(method, routePattern)` before showing a control, so a role that may not do
// something does not see the button for it; the API still refuses it (403) whatever the page shows.
import { ApiError, get } from './api.js';
import { label, t } from './i18n.js';

let me = null;
let generation = 0;
const listeners = new Set();

export const currentUser = () => me;

/** True when the caller's role may call `method pattern` (as in api/auth/policy.ts); false while unknown. */
export function may(method, pattern) {
  return Boolean(me?.allowed.some((a) => a.method === method && a.path === pattern));
}

export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function renderWhoami() {
  const el = document.getElementById('whoami');
  if (!el) return;
  el.textContent = me ? t('signedInAs', { name: me.name, role: label('role', me.role) }) : t('notSignedIn');
}

/** Asks the API again (after the key or the user name changed); a later call wins over an earlier one. */
export async function refreshSession() {
  const mine = ++generation;
  let next = null;
  try {
    next = await get('/me');
  } catch (err) {
    // 401: no or a wrong key. Anything else: the controls stay hidden until /me answers.
    if (!(err instanceof ApiError)) throw err;
  }
  if (mine !== generation) return;
  const changed = signature(next) !== signature(me);
  me = next;
  renderWhoami();
  // Pages re-render on a change, which would throw away what a user is typing into a form: only when
  // who the user is (and so which controls they may see) really changed, not on every re-check.
  if (changed) for (const listener of listeners) listener(me);
}

function signature(user) {
  if (!user) return '';
  return JSON.stringify([user.name, user.role, user.channels ?? null, user.allowed]);
}

export { renderWhoami };
