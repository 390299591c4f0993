// What the dry run (POST /campaigns/validate) says the campaign will do, shown before launch: for each
// channel the material variant and version it will get and why — the rule that matched with the
// channel-profile values that satisfied it (人货场), or that there was no profile — and how every other
// variant fared; the cohorts the window splits into; and warnings that would stop publishing.
import { h } from '../dom.js';
import { formatMinor, formatShortTime, shortHash } from '../format.js';
import { label, t } from '../i18n.js';

function evidenceText(evidence) {
  return evidence
    .map((c) => {
      const actual = c.actual === undefined ? t('traitMissing') : JSON.stringify(c.actual);
      return t('evidenceLine', {
        trait: c.trait,
        op: label('op', c.op),
        expected: JSON.stringify(c.expected),
        actual,
      });
    })
    .join('; ');
}

function whyText(channel) {
  const { explanation } = channel;
  if (explanation.reason === 'matched') {
    return t('whyMatched', {
      variant: channel.variantKey,
      evidence: evidenceText(explanation.matched?.evidence ?? []),
      version: explanation.profileVersion ?? '?',
    });
  }
  if (explanation.reason === 'no_profile') return t('whyNoProfile', { variant: channel.variantKey });
  return t('whyDefault', { variant: channel.variantKey, version: explanation.profileVersion ?? '?' });
}

function consideredText(considered) {
  return considered
    .map((v) => {
      const outcome = label('outcome', v.outcome);
      const by = v.outrankedBy
        ? ` (${t('outrankedBy', { key: v.outrankedBy.key, on: label('tieBreak', v.outrankedBy.on) })})`
        : '';
      const evidence = v.evidence.length > 0 ? ` — ${evidenceText(v.evidence)}` : '';
      return `${v.key}: ${outcome}${by}${evidence}`;
    })
    .map((line) => h('li', {}, line));
}

/** Why the draft would need launch approval (domain/launch-approval.ts): no cap, another currency, or above. */
function approvalReasonKey(dryRun) {
  const { plan, approval } = dryRun;
  if (plan.acquisitionBudgetMinor === null || plan.acquisitionBudgetMinor === undefined)
    return 'draftNeedsApprovalNoCap';
  if (approval.threshold && plan.currency !== approval.threshold.currency)
    return 'draftNeedsApprovalCurrency';
  return 'draftNeedsApproval';
}

export function renderPlanPreview(dryRun) {
  if (!dryRun) return [h('p', { class: 'muted', id: 'plan-preview-empty' }, t('previewHint'))];
  const rows = dryRun.channels.map((c) =>
    h(
      'tr',
      { dataset: { channel: c.channelCode, variant: c.variantKey, reason: c.explanation.reason } },
      h('th', { scope: 'row' }, c.channelName, h('span', { class: 'muted small block mono' }, c.channelCode)),
      h('td', { class: 'variant' }, h('strong', {}, c.variantKey)),
      h(
        'td',
        {},
        `${t('versionN', { version: c.materialVersion.version })} · ${c.materialVersion.title}`,
        h('span', { class: 'muted small block mono' }, shortHash(c.materialVersion.contentHash)),
        h(
          'span',
          { class: `badge ${c.materialVersion.approved ? 'placement-verified' : 'placement-drifted'}` },
          c.materialVersion.approved
            ? t('approvedBy', { name: c.materialVersion.approvedBy })
            : t('notApproved'),
        ),
      ),
      h(
        'td',
        { class: 'why' },
        h('p', { class: 'why-line' }, whyText(c)),
        c.considered.length > 1
          ? h(
              'details',
              { id: `considered-${c.channelCode}` },
              h('summary', {}, t('otherVariants')),
              h('ul', { class: 'small' }, consideredText(c.considered)),
            )
          : null,
      ),
    ),
  );
  const { count, first, last } = dryRun.cohorts;
  return [
    h('p', { class: 'ok-line', role: 'status', id: 'draft-valid' }, t('draftValid')),
    dryRun.approval?.required
      ? h(
          'p',
          { class: 'warning', id: 'draft-approval' },
          t(approvalReasonKey(dryRun), {
            threshold: dryRun.approval.threshold
              ? formatMinor(dryRun.approval.threshold.amountMinor, dryRun.approval.threshold.currency)
              : '—',
          }),
        )
      : null,
    dryRun.warnings.length > 0
      ? h(
          'ul',
          { class: 'warnings', id: 'draft-warnings' },
          dryRun.warnings.map((w) => h('li', { class: 'warning', dataset: { field: w.field } }, w.message)),
        )
      : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data compact', id: 'variant-plan' },
        h('caption', {}, t('variantPlanCaption')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['colChannel', 'colVariant', 'colVersion', 'colWhy'].map((k) => h('th', { scope: 'col' }, t(k))),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
    h(
      'p',
      { class: 'muted small', id: 'cohort-summary' },
      count === 0
        ? t('noCohorts')
        : t('cohortSummary', {
            count,
            first: formatShortTime(first?.start),
            last: formatShortTime(last?.end),
          }),
    ),
  ];
}
