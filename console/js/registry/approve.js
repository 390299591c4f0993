// Approving a version (POST /materials/:id/versions/:versionId/approve), shared by the material page and
// the approval queue: the API's refusal (403 own version, 409 approved by someone else) is shown beside
// the button that was pressed.
import { post } from '../api.js';
import { announce, h } from '../dom.js';
import { t } from '../i18n.js';

export async function approveVersion(version, button, onDone) {
  button.disabled = true;
  try {
    await post(`/materials/${version.materialId}/versions/${version.id}/approve`, {});
    announce(t('versionApproved', { key: version.variantKey, version: version.version }));
    await onDone();
  } catch (err) {
    button.disabled = false;
    button.parentElement?.querySelector('.approve-error')?.remove();
    button.after(h('span', { class: 'approve-error field-error block', role: 'alert' }, err.message));
  }
}
