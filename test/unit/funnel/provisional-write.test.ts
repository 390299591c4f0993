// The registrations written before the lock are brought to what the decision under it says.
import type { RegistrationRow } from '../../../db/bulk-insert';
import { reconcile } from '../../../funnel/ingest/provisional-write';

const row = (id: string, extra: Partial<RegistrationRow> = {}): RegistrationRow => ({
  id,
  campaignId: 'c1',
  customerRef: `cust-${id}`,
  channelId: 'ch1',
  placementId: null,
  materialVersionId: null,
  variantKey: null,
  registeredAt: new Date('2026-12-04T10:00:00Z'),
  cohortKey: '2026-12-04T10:00:00Z',
  periodEndsAt: new Date('2026-12-05T10:00:00Z'),
  arm: 'treatment',
  deviceFingerprint: null,
  contactHash: null,
  flagReason: null,
  attributes: null,
  ...extra,
});
const written = (...rows: RegistrationRow[]) => new Map(rows.map((r) => [r.id, r]));

it('keeps what both decisions made alike: nothing to remove, nothing to add', () => {
  // Rebuilt objects, as the second decision builds them: equal by value, not by reference.
  expect(reconcile(written(row('a'), row('b')), [row('a'), row('b')])).toEqual({ remove: [], add: [] });
});

it('removes a row the decision under the lock refused', () => {
  expect(reconcile(written(row('a'), row('b')), [row('a')])).toEqual({ remove: ['b'], add: [] });
});

it('replaces a row the decision under the lock made otherwise (a flag its facts call for)', () => {
  const flagged = row('b', { flagReason: 'shared_contact' });
  expect(reconcile(written(row('a'), row('b')), [row('a'), flagged])).toEqual({
    remove: ['b'],
    add: [flagged],
  });
});

it('adds a row the first decision refused or a concurrent batch kept from being written', () => {
  expect(reconcile(written(row('a')), [row('a'), row('c')])).toEqual({ remove: [], add: [row('c')] });
  expect(reconcile(written(), [row('a')])).toEqual({ remove: [], add: [row('a')] });
});

it('tells a changed time apart (dates compare by value)', () => {
  const later = row('a', { periodEndsAt: new Date('2026-12-05T10:00:01Z') });
  expect(reconcile(written(row('a')), [later])).toEqual({ remove: ['a'], add: [later] });
});

it('compares every column: a change in any one of them is a row to replace', () => {
  const changes: Partial<RegistrationRow>[] = [
    { channelId: 'ch2' },
    { placementId: 'p1' },
    { materialVersionId: 'v2' },
    { variantKey: 'b' },
    { registeredAt: new Date('2026-12-04T10:00:01Z') },
    { cohortKey: 'other' },
    { arm: 'control' },
    { deviceFingerprint: 'd1' },
    { contactHash: 'h1' },
    { flagReason: 'fingerprint_burst' },
    { attributes: { segment: 'young' } },
    { activatedAt: new Date('2026-12-04T11:00:00Z') },
    { attributionBasis: 'click' },
    { reportedChannelId: 'ch9' },
    { attributedTouchAt: new Date('2026-12-04T09:00:00Z') },
  ];
  for (const change of changes) {
    expect(reconcile(written(row('a')), [row('a', change)]).remove).toEqual(['a']);
  }
  // Equal attributes in two objects, and an absent optional column beside a null one, are the same.
  const attributes = (): RegistrationRow['attributes'] => ({ segment: 'young', score: 3 });
  expect(
    reconcile(written(row('a', { attributes: attributes() })), [
      row('a', { attributes: attributes(), activatedAt: null }),
    ]),
  ).toEqual({ remove: [], add: [] });
});
