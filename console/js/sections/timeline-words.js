// The timeline's steps said in the domain's words and the console's language: "已发布到 手机银行" /
// "Published to Mobile banking", "获客开始" / "Acquisition opened", "客群 2026-12-01 的新客期结束" — not
// the workflow's activity names ("enter phase acquiring", "record cohort … completed"). Built from the
// step's kind and fields (api/ops/timeline-builder.ts), never from its English label, which stays the
// fallback for a kind this file does not know.
import { formatShortTime } from '../format.js';
import { label, t } from '../i18n.js';

/** A cohort is named by when it starts: an ISO time key reads as a local time ("2026/12/2 07:02"). */
function cohortName(key) {
  if (!key) return '?';
  return /^\d{4}-\d{2}-\d{2}T/.test(key) && !Number.isNaN(Date.parse(key)) ? formatShortTime(key) : key;
}

/** Which form of a step's words: done, failed, or still going. */
function tense(status) {
  if (status === 'completed') return 'done';
  if (['failed', 'timed_out', 'terminated', 'cancelled'].includes(status)) return 'failed';
  return 'doing';
}

/**
 * @param step a timeline step
 * @param channelName code → the channel's name (the campaign's channels), falling back to the code
 */
export function stepWords(step, channelName = (code) => code) {
  const channel = step.channelCode ? channelName(step.channelCode) : t('tlUnknownChannel');
  const cohort = cohortName(step.cohortKey);
  const form = tense(step.status);
  switch (step.kind) {
    case 'phase':
      return step.phase ? t(`tl_phase_${step.phase}`) : step.label;
    case 'prepare':
      return t(`tl_prepare_${form}`);
    case 'publish':
      return t(`tl_publish_${form}`, { channel });
    case 'record_failure':
      return t('tl_record_failure', { channel });
    case 'verify':
      return t(`tl_verify_${form}`);
    case 'withdraw':
      return t(`tl_withdraw_${form}`, { channel });
    case 'evaluate':
      return t(step.detail?.provisional ? `tl_evaluate_provisional_${form}` : `tl_evaluate_${form}`);
    case 'cohort':
      return t('tl_cohort', { cohort });
    case 'cohort_step':
      return t(`tl_cohort_step_${form}`, { cohort, step: step.stepId ?? '?' });
    case 'cohort_status': {
      const status = step.detail?.status;
      return status ? t(`tl_cohort_${status}`, { cohort }) : step.label;
    }
    case 'pacing_review':
      return t(step.detail?.frozen ? 'tl_pacing_review_frozen' : 'tl_pacing_review', {
        review: step.detail?.reviewIndex ?? '?',
      });
    case 'approval':
      return t('tl_approval', { state: label('approval', step.detail?.state) });
    case 'lookup':
      return step.name === 'countCohortMembers' ? t('tl_count_members', { cohort }) : t('tl_live_placements');
    default:
      return step.label;
  }
}

/** What a finished step found or did, in words: "核验 3 个渠道，0 个漂移", "送达 120 人". */
export function stepOutcome(step) {
  const d = step.detail ?? {};
  switch (step.kind) {
    case 'verify':
      return typeof d.checked === 'number'
        ? t('tl_verified_counts', { checked: d.checked, drifted: d.drifted ?? 0 })
        : null;
    case 'cohort_step':
      return typeof d.delivered === 'number'
        ? t('tl_delivered', { delivered: d.delivered, skipped: d.skipped ?? 0 })
        : null;
    case 'publish':
    case 'withdraw':
      return d.outcome ? label('placement', d.outcome) : null;
    case 'evaluate':
      return typeof d.version === 'number' ? t('tl_report_version', { version: d.version }) : null;
    case 'pacing_review':
      return d.outcome ? t(`tl_pacing_outcome_${d.outcome}`, { moved: d.moved ?? 0 }) : null;
    default:
      return null;
  }
}
