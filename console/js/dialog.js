// The confirmation dialog for steering actions: a modal <dialog> (the page behind is inert), Tab and
// Shift+Tab wrap around inside it, Escape closes it, and focus returns to the button that opened it.
import { h } from './dom.js';
import { t } from './i18n.js';

const FOCUSABLE = 'button:not([disabled]), textarea:not([disabled]), input:not([disabled]), [tabindex="0"]';

/**
 * Opens the dialog. `onConfirm(reason)` runs on confirmation; when it throws, the error is shown in
 * the dialog (which stays open so the user can retry or go back); when it resolves, the dialog closes.
 * Resolves true when confirmed and done, false when dismissed.
 */
export function confirmDialog({ id, title, body, confirmLabel, danger = false, onConfirm }) {
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const titleId = `${id}-title`;
    const bodyId = `${id}-body`;
    const reason = h('textarea', { id: `${id}-reason`, name: 'reason', rows: 3, maxlength: 500 });
    const error = h('p', { class: 'dialog-error', role: 'alert', hidden: true });
    const confirmButton = h(
      'button',
      { type: 'button', class: danger ? 'danger' : 'primary', 'data-role': 'confirm' },
      confirmLabel,
    );
    const backButton = h('button', { type: 'button', 'data-role': 'dismiss' }, t('back'));
    const dialog = h(
      'dialog',
      { id, class: 'confirm-dialog', 'aria-labelledby': titleId, 'aria-describedby': bodyId },
      h('h2', { id: titleId }, title),
      h('p', { id: bodyId }, body),
      h('label', { for: `${id}-reason` }, t('reasonLabel')),
      reason,
      error,
      h('div', { class: 'dialog-buttons' }, backButton, confirmButton),
    );
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(value);
    };

    dialog.addEventListener('keydown', (event) => {
      if (event.key !== 'Tab') return;
      const items = [...dialog.querySelectorAll(FOCUSABLE)];
      const first = items[0];
      const last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    // Escape fires `cancel` on a modal dialog; closing for any reason counts as "not confirmed".
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      if (!confirmButton.disabled) finish(false);
    });
    backButton.addEventListener('click', () => finish(false));
    confirmButton.addEventListener('click', async () => {
      confirmButton.disabled = true;
      backButton.disabled = true;
      error.hidden = true;
      try {
        await onConfirm(reason.value.trim());
        finish(true);
      } catch (err) {
        error.textContent = t('actionFailed', { message: err instanceof Error ? err.message : String(err) });
        error.hidden = false;
        confirmButton.disabled = false;
        backButton.disabled = false;
        confirmButton.focus();
      }
    });

    document.body.append(dialog);
    dialog.showModal();
    // Start on the least harmful control: going back.
    backButton.focus();
  });
}
