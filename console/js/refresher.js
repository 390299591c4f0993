// Auto-refresh for a page: reloads every few seconds while it should (the tab is visible, the user has
// not switched it off, the page says there is progress to show), never two loads at once, and shows
// when the data was last updated — or why it could not be.
import { h } from './dom.js';
import { t } from './i18n.js';
import { formatClock } from './format.js';

const PREFERENCE = 'console.autoRefresh';

function autoRefreshWanted() {
  try {
    return localStorage.getItem(PREFERENCE) !== 'off';
  } catch {
    return true;
  }
}

/**
 * @param {{ intervalMs: number, load: () => Promise<void>, active?: () => boolean }} options
 *   `active()` says whether there is still progress worth polling for (e.g. the workflow runs).
 */
export function createRefresher({ intervalMs, load, active = () => true }) {
  let timer = null;
  let inFlight = null;
  let lastUpdated = null;
  let lastError = null;
  let stopped = false;

  const status = h('span', { class: 'last-updated', 'data-testid': 'last-updated', role: 'status' });
  const checkbox = h('input', { type: 'checkbox', id: 'auto-refresh' });
  checkbox.checked = autoRefreshWanted();
  const checkboxLabel = h('span');
  const button = h('button', { type: 'button', id: 'refresh-now', class: 'secondary' });

  function renderStatus() {
    checkboxLabel.textContent = t('autoRefresh');
    button.textContent = t('refresh');
    status.classList.toggle('error', lastError !== null);
    status.textContent = lastError
      ? t('refreshFailed', { message: lastError })
      : lastUpdated
        ? t('lastUpdated', { time: formatClock(lastUpdated) })
        : t('notUpdatedYet');
  }

  function schedule() {
    clearTimeout(timer);
    timer = null;
    if (stopped || !checkbox.checked || document.hidden || !active()) return;
    timer = setTimeout(() => void run(), intervalMs);
  }

  async function run() {
    if (stopped) return;
    if (inFlight) return inFlight;
    inFlight = (async () => {
      try {
        await load();
        lastUpdated = new Date();
        lastError = null;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      } finally {
        inFlight = null;
        if (!stopped) {
          renderStatus();
          schedule();
        }
      }
    })();
    return inFlight;
  }

  const onVisibility = () => (document.hidden ? schedule() : void run());
  document.addEventListener('visibilitychange', onVisibility);
  checkbox.addEventListener('change', () => {
    try {
      localStorage.setItem(PREFERENCE, checkbox.checked ? 'on' : 'off');
    } catch {
      // preference not remembered
    }
    schedule();
  });
  button.addEventListener('click', () => void run());
  renderStatus();

  return {
    toolbar: h(
      'div',
      { class: 'refresh-bar' },
      status,
      h('label', { class: 'inline-check' }, checkbox, checkboxLabel),
      button,
    ),
    run,
    renderStatus,
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
