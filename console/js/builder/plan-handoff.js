// The plan the planning page hands to the campaign builder ("create a campaign from this plan"): kept in
// sessionStorage (this tab only, gone when it closes), so the builder can pre-fill the channels, the
// budget and `plan.pacing = { mode, channelCaps }` from the allocation the user just looked at.
const KEY = 'console.planHandoff';

/** Stores `{ currency, budgetMinor, channelCaps: { code: minor } }` for the builder. */
export function saveHandoff(handoff) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(handoff));
  } catch {
    // storage disabled: the builder simply finds no plan
  }
}

/** The handed-over plan, or null (none, or unreadable). */
export function loadHandoff() {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (!value || typeof value.currency !== 'string' || typeof value.channelCaps !== 'object') return null;
    return value;
  } catch {
    return null;
  }
}

export function clearHandoff() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

/** The `plan.pacing` a campaign request carries for `draft`: only the caps of the channels it uses. */
export function pacingOf(draft) {
  if (!draft.pacing) return null;
  const channelCaps = {};
  for (const code of draft.channels) {
    const cap = draft.pacing.channelCaps[code];
    if (cap !== undefined) channelCaps[code] = cap;
  }
  return { mode: draft.pacing.mode, channelCaps };
}

/**
 * Pre-fills `draft` from a handed-over plan: its currency, its budget (as the major-unit text the
 * budget field holds), the planned channels that the registry offers, and fixed caps from the plan.
 */
export function applyHandoff(draft, handoff, registryCodes, exponent) {
  const digits = String(handoff.budgetMinor).padStart(exponent + 1, '0');
  draft.currency = handoff.currency;
  draft.budget = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  draft.channels = Object.keys(handoff.channelCaps).filter((code) => registryCodes.includes(code));
  draft.pacing = { mode: 'fixed', channelCaps: { ...handoff.channelCaps } };
}
