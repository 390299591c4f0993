// The campaign's timeline. GET /campaigns/:id/timeline (api/ops: steps with start and end, attempts and
// failures, pending timers, and the steering actions with who did them) when the API has it; otherwise
// the workflow's event history (GET /campaigns/:id/history), condensed to the events a person cares
// about: activities and their outcomes, timers, child workflows, signals and updates.
import { h } from '../dom.js';
import { formatShortTime, formatTime } from '../format.js';
import { label, t } from '../i18n.js';
import { stepOutcome, stepWords } from './timeline-words.js';

const SHOWN = 60;

/** History events that only record Temporal's own bookkeeping. */
const NOISE = new Set([
  'WORKFLOW_TASK_SCHEDULED',
  'WORKFLOW_TASK_STARTED',
  'WORKFLOW_TASK_COMPLETED',
  'ACTIVITY_TASK_STARTED',
  'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
  'MARKER_RECORDED',
]);

/** A protobuf Duration as Temporal's JSON gives it ("3600s", or { seconds: "3600" }) → "1h 0m 0s". */
function durationText(d) {
  const seconds = Number(typeof d === 'string' ? d.replace(/s$/, '') : (d?.seconds ?? NaN));
  if (!Number.isFinite(seconds)) return String(d);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = Math.round(seconds % 60);
  return hours > 0 ? `${hours}h ${minutes}m ${rest}s` : minutes > 0 ? `${minutes}m ${rest}s` : `${rest}s`;
}

/** Timeline steps, a cohort's own steps listed under it (indented, inside its cohort), as rows. */
function stepRows(steps, channelName, depth = 0) {
  return steps.flatMap((step) => {
    const failures = (step.failures ?? []).map((f) => f.message).filter(Boolean);
    const detail = [
      step.status === 'completed' ? stepOutcome(step) : null,
      step.attempts > 1 ? t('attempt', { n: step.attempts }) : null,
      step.nextAttemptAt ? t('nextAttempt', { time: formatShortTime(step.nextAttemptAt) }) : null,
      step.endedAt ? t('endedAt', { time: formatShortTime(step.endedAt) }) : null,
      ...failures.slice(-2),
    ].filter(Boolean);
    const row = {
      time: step.startedAt ?? step.scheduledAt,
      title: stepWords(step, channelName),
      depth,
      kind: step.kind,
      status: step.status,
      failed: ['failed', 'timed_out', 'terminated'].includes(step.status) || step.status === 'retrying',
      detail: detail.join(' · '),
    };
    return [row, ...stepRows(step.steps ?? [], channelName, depth + 1)];
  });
}

/** Rows from the timeline endpoint: steering actions, pending timers, then the steps. */
export function fromTimeline(body, channelName) {
  const actions = (body.actions ?? []).map((a) => ({
    time: a.at,
    title: `${label('audit', a.action)} · ${a.actor}`,
    status: null,
    failed: false,
    detail: a.reason ?? '',
    kind: 'action',
  }));
  const timers = (body.pendingTimers ?? []).map((timer) => ({
    time: timer.startedAt,
    title: t('pendingTimer', { id: timer.timerId }),
    status: 'pending',
    failed: false,
    detail: timer.firesAt ? t('firesAt', { time: formatShortTime(timer.firesAt) }) : '',
  }));
  return [...actions, ...timers, ...stepRows(body.steps ?? [], channelName)];
}

/** Condensed history events, the activity's name carried to its completion or failure. */
export function fromHistory(body) {
  const activityNames = new Map();
  const entries = [];
  for (const event of body.events ?? []) {
    const a = event.attributes ?? {};
    if (event.eventType === 'ACTIVITY_TASK_SCHEDULED') activityNames.set(event.eventId, a.activityType?.name);
    if (NOISE.has(event.eventType)) continue;
    const activity = activityNames.get(String(a.scheduledEventId ?? ''));
    const subject =
      a.activityType?.name ??
      activity ??
      a.workflowType?.name ??
      a.signalName ??
      a.acceptedRequest?.input?.name ??
      a.timerId ??
      null;
    const detail = [
      a.failure?.message ?? null,
      a.startToFireTimeout ? t('timerFor', { duration: durationText(a.startToFireTimeout) }) : null,
      typeof event.attempt === 'number' && event.attempt > 1 ? t('attempt', { n: event.attempt }) : null,
    ].filter(Boolean);
    entries.push({
      time: event.eventTime,
      title: subject ? `${event.eventType} · ${subject}` : event.eventType,
      status: null,
      failed: /FAILED|TIMED_OUT|TERMINATED/.test(event.eventType),
      detail: detail.join(' · '),
    });
  }
  return entries;
}

/**
 * @param channels the campaign's channels ({ channel: { code, name } }), to name channels as people do
 */
export function renderTimeline({ source, body }, channels = []) {
  const names = new Map(
    channels.map((c) => [c.channel?.code, c.channel?.name]).filter(([code, name]) => code && name),
  );
  const channelName = (code) => names.get(code) ?? code;
  const entries = source === 'timeline' ? fromTimeline(body, channelName) : fromHistory(body);
  const newestFirst = entries
    .map((e, i) => ({ ...e, i }))
    .sort((a, b) => String(b.time ?? '').localeCompare(String(a.time ?? '')) || b.i - a.i)
    .slice(0, SHOWN);
  return [
    source === 'history' ? h('p', { class: 'muted small' }, t('timelineFromHistory')) : null,
    entries.length === 0
      ? h('p', { class: 'muted' }, t('noTimeline'))
      : h(
          'div',
          {
            class: 'table-wrap timeline-wrap',
            tabindex: 0,
            role: 'region',
            'aria-label': t('timelineTitle'),
          },
          entries.length > SHOWN
            ? h('p', { class: 'muted small' }, t('showingLatest', { shown: SHOWN, total: entries.length }))
            : null,
          h(
            'table',
            { class: 'data compact', id: 'timeline-table', dataset: { source } },
            h('caption', { class: 'visually-hidden' }, t('timelineTitle')),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['colTime', 'colEvent', 'colStatus', 'colDetail'].map((key) =>
                  h('th', { scope: 'col' }, t(key)),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              newestFirst.map((e) =>
                h(
                  'tr',
                  {
                    class:
                      [e.failed ? 'failed' : '', e.kind === 'action' ? 'action' : ''].join(' ').trim() ||
                      null,
                  },
                  h('td', { class: 'nowrap' }, formatTime(e.time)),
                  h(
                    'td',
                    { class: `event${e.depth ? ' nested' : ''}`, dataset: e.kind ? { kind: e.kind } : null },
                    e.title,
                  ),
                  h(
                    'td',
                    {},
                    e.status ? h('span', { class: `badge step-${e.status}` }, label('step', e.status)) : '',
                  ),
                  h('td', {}, e.detail),
                ),
              ),
            ),
          ),
        ),
  ];
}
