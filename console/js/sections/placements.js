// The placement-consistency matrix (GET /campaigns/:id/placements): one row per channel, the version and
// hash it should show beside the hash it was seen showing, the status coloured and written out.
import { h } from '../dom.js';
import { formatCount, formatShortTime, shortHash } from '../format.js';
import { label, t } from '../i18n.js';

/** Statuses before the first read-back: nothing to compare yet, so not "inconsistent". */
const NOT_YET_CHECKED = new Set(['not_published', 'publishing', 'published', 'awaiting_acknowledgement']);

/**
 * What the consistency column says. Only a placement that is (or should be) live and shows other content
 * than expected — drifted, failed, or a verified one whose hash differs — is inconsistent. A placement
 * taken down on purpose (withdrawn, or being withdrawn) says so, with when it had been verified; one not
 * checked yet says it waits for the read-back.
 */
export function consistencyMark(row) {
  if (row.consistent)
    return h('span', { class: 'mark ok', dataset: { mark: 'consistent' } }, `✓ ${t('consistentYes')}`);
  if (row.status === 'withdrawn' || row.status === 'withdrawal_requested') {
    const was = row.verifiedAt ? t('wasVerified', { time: formatShortTime(row.verifiedAt) }) : null;
    return h(
      'span',
      { class: 'mark neutral', dataset: { mark: row.status } },
      `— ${label('placement', row.status)}`,
      was ? h('span', { class: 'muted small block' }, was) : null,
    );
  }
  if (NOT_YET_CHECKED.has(row.status)) {
    return h('span', { class: 'mark pending', dataset: { mark: 'unchecked' } }, `… ${t('notCheckedYet')}`);
  }
  return h('span', { class: 'mark bad', dataset: { mark: 'inconsistent' } }, `✗ ${t('consistentNo')}`);
}

export function renderPlacements(report) {
  if (!report.rows || report.rows.length === 0) return [h('p', { class: 'muted' }, t('noPlacements'))];
  const sameContent = Object.values(report.sameContentPerVariant ?? {});
  const allSame = sameContent.every(Boolean);
  return [
    sameContent.length > 0
      ? h(
          'p',
          { class: `consistency ${allSame ? 'ok' : 'bad'}`, id: 'same-content' },
          allSame ? `✓ ${t('sameContentYes')}` : `✗ ${t('sameContentNo')}`,
        )
      : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', id: 'placement-matrix' },
        h('caption', { class: 'visually-hidden' }, t('placementsTitle')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [
              'colChannel',
              'colVariant',
              'colExpected',
              'colExpectedHash',
              'colObservedHash',
              'colConsistent',
              'colStatus',
              'colAttempts',
              'colLastChecked',
            ].map((key) => h('th', { scope: 'col' }, t(key))),
          ),
        ),
        h(
          'tbody',
          {},
          report.rows.map((row) => {
            const hashMismatch =
              row.observedHash && row.expected && row.observedHash !== row.expected.contentHash;
            return h(
              'tr',
              { dataset: { channel: row.channelCode, status: row.status } },
              h(
                'th',
                { scope: 'row' },
                row.channelCode,
                h('span', { class: 'muted small block' }, row.channelName),
              ),
              h('td', {}, row.variantKey ?? '—'),
              h('td', {}, row.expected ? t('versionN', { version: row.expected.version }) : '—'),
              h(
                'td',
                { class: 'mono', title: row.expected?.contentHash ?? '' },
                shortHash(row.expected?.contentHash),
              ),
              h(
                'td',
                { class: `mono${hashMismatch ? ' mismatch' : ''}`, title: row.observedHash ?? '' },
                shortHash(row.observedHash),
              ),
              h('td', {}, consistencyMark(row)),
              h(
                'td',
                {},
                h(
                  'span',
                  { class: `badge placement-${row.status}`, title: row.error ?? '' },
                  label('placement', row.status),
                ),
                row.error ? h('span', { class: 'muted small block' }, row.error) : null,
              ),
              h('td', { class: 'num' }, formatCount(row.attempts)),
              h(
                'td',
                { class: 'nowrap' },
                formatShortTime(row.lastCheckedAt ?? row.verifiedAt ?? row.publishedAt),
              ),
            );
          }),
        ),
      ),
    ),
  ];
}
