// The pure contact check (funnel/contact-decision.ts) and the policy's own rules (domain/contact-policy.ts):
// caps overall and per channel over sliding windows, exempt kinds, quiet hours in the bank's zone, priority
// holds, and contradictory policies refused at the field that contradicts.
import { ContactPolicySchema, UNRESTRICTED_POLICY, type ContactPolicy } from '../../../domain/contact-policy';
import { decideContact, type ContactQuestion } from '../../../funnel/contact-decision';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 2026-12-02 12:00 in Shanghai (04:00 UTC).
const NOON = Date.parse('2026-12-02T04:00:00Z');

const policy = (over: Partial<ContactPolicy> = {}): ContactPolicy => ({
  ...UNRESTRICTED_POLICY,
  frequencyCaps: [
    { scope: 'overall', max: 2, per: 'P7D' },
    { scope: 'per_channel', max: 1, per: 'P1D' },
  ],
  ...over,
});

const ask = (over: Partial<ContactQuestion> = {}): ContactQuestion => ({
  policy: policy(),
  nowMs: NOON,
  kind: 'engagement',
  channelCode: 'sms',
  priority: 0,
  optedOut: false,
  past: [],
  held: [],
  ...over,
});

describe('decideContact', () => {
  it('reserves and counts a message within every cap', () => {
    expect(decideContact(ask())).toEqual({ outcome: 'reserved', counted: true });
  });

  it('caps per channel per day, but not another channel', () => {
    const past = [{ atMs: NOON - 2 * HOUR, channelCode: 'sms' }];
    expect(decideContact(ask({ past })).outcome).toBe('frequency_capped');
    expect(decideContact(ask({ past, channelCode: 'wechat' }))).toEqual({
      outcome: 'reserved',
      counted: true,
    });
    // A day and a second later the per-channel window has passed.
    expect(decideContact(ask({ past, nowMs: NOON - 2 * HOUR + DAY + 1000 })).outcome).toBe('reserved');
  });

  it('counts a contact stamped after now (decided first under the lock by a worker whose clock is ahead)', () => {
    const past = [{ atMs: NOON + 40, channelCode: 'sms' }];
    expect(decideContact(ask({ past })).outcome).toBe('frequency_capped');
  });

  it('caps overall over a sliding 7-day window', () => {
    const past = [
      { atMs: NOON - 6 * DAY, channelCode: 'app' },
      { atMs: NOON - 3 * DAY, channelCode: 'wechat' },
    ];
    const capped = decideContact(ask({ past }));
    expect(capped.outcome).toBe('frequency_capped');
    expect(capped).toMatchObject({ counted: false, detail: expect.stringContaining('2 of at most 2') });
    expect(decideContact(ask({ past, nowMs: NOON + DAY })).outcome).toBe('reserved');
  });

  it('neither counts nor caps an exempt kind, but still honours consent and quiet hours', () => {
    const past = [
      { atMs: NOON - HOUR, channelCode: 'sms' },
      { atMs: NOON - 2 * HOUR, channelCode: 'sms' },
    ];
    const exempt = policy({ exemptKinds: ['education'] });
    expect(decideContact(ask({ policy: exempt, kind: 'education', past }))).toEqual({
      outcome: 'reserved',
      counted: false,
    });
    expect(decideContact(ask({ policy: exempt, kind: 'engagement', past })).outcome).toBe('frequency_capped');
    expect(decideContact(ask({ policy: exempt, kind: 'education', optedOut: true })).outcome).toBe(
      'opted_out',
    );
  });

  it('withholds in quiet hours read in the bank time zone, wrapping midnight', () => {
    const quiet = policy({ quietHours: { start: '21:00', end: '08:00' }, timeZone: 'Asia/Shanghai' });
    // 23:30 and 07:59 in Shanghai are quiet; 08:00 and noon are not.
    expect(decideContact(ask({ policy: quiet, nowMs: Date.parse('2026-12-02T15:30:00Z') })).outcome).toBe(
      'quiet_hours',
    );
    expect(decideContact(ask({ policy: quiet, nowMs: Date.parse('2026-12-01T23:59:00Z') })).outcome).toBe(
      'quiet_hours',
    );
    expect(decideContact(ask({ policy: quiet, nowMs: Date.parse('2026-12-02T00:00:00Z') })).outcome).toBe(
      'reserved',
    );
    expect(decideContact(ask({ policy: quiet })).outcome).toBe('reserved');
    // The same instant in New York (22:59 the day before) is quiet there.
    const ny = { ...quiet, timeZone: 'America/New_York' };
    expect(decideContact(ask({ policy: ny, nowMs: Date.parse('2026-12-02T03:59:00Z') })).outcome).toBe(
      'quiet_hours',
    );
  });

  it('an opt-out comes before every other reason', () => {
    const quiet = policy({ quietHours: { start: '00:00', end: '24:00' } });
    expect(decideContact(ask({ policy: quiet, optedOut: true })).outcome).toBe('opted_out');
  });

  it('a higher-priority message due within the window holds the slot: lower_priority', () => {
    const held = [{ dueMs: NOON + 2 * HOUR, channelCode: 'sms', priority: 5 }];
    expect(decideContact(ask({ held })).outcome).toBe('lower_priority');
    // Equal or lower priority holds nothing; the higher campaign itself is not held back by its own kind.
    expect(decideContact(ask({ held, priority: 5 })).outcome).toBe('reserved');
    expect(decideContact(ask({ held, priority: 9 })).outcome).toBe('reserved');
    // Due later than the per-channel day, and the overall cap has a second slot: nothing is held.
    const later = [{ dueMs: NOON + 2 * DAY, channelCode: 'sms', priority: 5 }];
    expect(decideContact(ask({ held: later })).outcome).toBe('reserved');
    // Another channel's held message takes the overall cap's last slot.
    const past = [{ atMs: NOON - 3 * DAY, channelCode: 'app' }];
    const elsewhere = [{ dueMs: NOON + 3 * DAY, channelCode: 'wechat', priority: 5 }];
    expect(decideContact(ask({ past, held: elsewhere })).outcome).toBe('lower_priority');
  });

  it('a cap already full is frequency_capped even when higher-priority messages are held too', () => {
    const past = [{ atMs: NOON - HOUR, channelCode: 'sms' }];
    const held = [{ dueMs: NOON + HOUR, channelCode: 'sms', priority: 5 }];
    expect(decideContact(ask({ past, held })).outcome).toBe('frequency_capped');
  });

  it('without a stored policy nothing is capped', () => {
    const past = Array.from({ length: 50 }, (_, i) => ({ atMs: NOON - i * HOUR, channelCode: 'sms' }));
    expect(decideContact(ask({ policy: UNRESTRICTED_POLICY, past }))).toEqual({
      outcome: 'reserved',
      counted: true,
    });
  });
});

describe('ContactPolicySchema', () => {
  const valid = {
    timeZone: 'Asia/Shanghai',
    frequencyCaps: [
      { scope: 'overall', max: 2, per: 'P7D' },
      { scope: 'per_channel', max: 1, per: 'P1D' },
    ],
    exemptKinds: ['education'],
    quietHours: { start: '21:00', end: '08:00' },
    priorities: { default: 0, campaigns: [] },
  };
  const issues = (input: unknown) => {
    const result = ContactPolicySchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts a consistent policy', () => {
    expect(issues(valid)).toEqual([]);
  });

  it('refuses two caps over the same window with different maxima, naming the second', () => {
    expect(
      issues({
        ...valid,
        frequencyCaps: [
          { scope: 'overall', max: 2, per: 'P7D' },
          { scope: 'overall', max: 3, per: 'P7D' },
        ],
      }),
    ).toEqual(['frequencyCaps.1.max']);
  });

  it('refuses a shorter window that allows more than a longer one', () => {
    expect(
      issues({
        ...valid,
        frequencyCaps: [
          { scope: 'overall', max: 2, per: 'P7D' },
          { scope: 'overall', max: 5, per: 'P1D' },
        ],
      }),
    ).toEqual(['frequencyCaps.1.max']);
  });

  it('refuses a per-channel cap above an overall cap over a window at least as long', () => {
    expect(
      issues({
        ...valid,
        frequencyCaps: [
          { scope: 'overall', max: 2, per: 'P7D' },
          { scope: 'per_channel', max: 3, per: 'P1D' },
        ],
      }),
    ).toEqual(['frequencyCaps.1.max']);
  });

  it('refuses caps with every kind exempt, a kind listed twice, a campaign given two priorities', () => {
    expect(issues({ ...valid, exemptKinds: ['education', 'engagement'] })).toEqual(['exemptKinds']);
    expect(issues({ ...valid, exemptKinds: ['education', 'education'] })).toEqual(['exemptKinds']);
    const id = '6f1c1e7e-7c43-4c1b-9a55-2f0d5c8e8b11';
    expect(
      issues({
        ...valid,
        priorities: {
          default: 0,
          campaigns: [
            { campaignId: id, priority: 1 },
            { campaignId: id, priority: 2 },
          ],
        },
      }),
    ).toEqual(['priorities.campaigns.1.campaignId']);
  });

  it('refuses unknown fields, unknown zones, quiet hours that start and end together', () => {
    expect(issues({ ...valid, frequencyCap: [] })).toEqual(['']);
    expect(issues({ ...valid, timeZone: 'Mars/Olympus' })).toEqual(['timeZone']);
    expect(issues({ ...valid, quietHours: { start: '08:00', end: '08:00' } })).toEqual(['quietHours.end']);
    expect(issues({ ...valid, frequencyCaps: [{ scope: 'overall', max: 0, per: 'P1D' }] })).toEqual([
      'frequencyCaps.0.max',
    ]);
  });
});
