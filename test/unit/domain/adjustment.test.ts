// The pure rules of adjustments (domain/adjustment.ts): the reason codes, the post-attribution deadline,
// the correction's request schema and the rule that a corrected cost never falls below zero.
import {
  CostCorrectionRequestSchema,
  correctedTotal,
  flagDeadline,
  FraudFlagRequestSchema,
  PostAttributionWindowSchema,
} from '../../../domain/adjustment';

const fieldsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('fraud flag requests', () => {
  it('takes the four reason codes and refuses any other, naming reason', () => {
    for (const reason of ['fake_identity', 'device_farm', 'incentive_abuse', 'existing_customer'])
      expect(FraudFlagRequestSchema.safeParse({ reason }).success).toBe(true);
    const refused = FraudFlagRequestSchema.safeParse({ reason: 'chargeback' });
    expect(fieldsOf(refused)).toEqual(['reason']);
    expect(refused.error?.issues[0]?.message).toMatch(/fake_identity, device_farm/);
    expect(fieldsOf(FraudFlagRequestSchema.safeParse({ reason: 'device_farm', reasn: 'x' }))).toEqual(['']);
  });

  it('closes the window exactly the window after the registration (days as 24 hours)', () => {
    const registeredAt = new Date('2026-03-02T02:15:00Z');
    expect(new Date(flagDeadline(registeredAt, 'P7D')).toISOString()).toBe('2026-03-09T02:15:00.000Z');
    expect(flagDeadline(registeredAt, 'PT1S') - registeredAt.getTime()).toBe(1000);
  });

  it('takes windows from one second to a year', () => {
    expect(PostAttributionWindowSchema.safeParse('PT1S').success).toBe(true);
    expect(PostAttributionWindowSchema.safeParse('P365D').success).toBe(true);
    expect(PostAttributionWindowSchema.safeParse('PT0S').success).toBe(false);
    expect(PostAttributionWindowSchema.safeParse('P366D').success).toBe(false);
    expect(PostAttributionWindowSchema.safeParse('P1M').success).toBe(false);
  });
});

describe('cost correction requests', () => {
  const valid = {
    target: { type: 'delivery_report', placementId: 'pl-1', reportId: 'rpt-1' },
    amountMinor: -3_400,
    currency: 'CNY',
    reason: 'restated impressions',
  };

  it('takes a signed amount and names every field it refuses', () => {
    expect(CostCorrectionRequestSchema.safeParse(valid).success).toBe(true);
    expect(CostCorrectionRequestSchema.safeParse({ ...valid, amountMinor: 3_400 }).success).toBe(true);
    expect(fieldsOf(CostCorrectionRequestSchema.safeParse({ ...valid, amountMinor: 0 }))).toEqual([
      'amountMinor',
    ]);
    expect(fieldsOf(CostCorrectionRequestSchema.safeParse({ ...valid, amountMinor: 1.5 }))).toEqual([
      'amountMinor',
    ]);
    expect(fieldsOf(CostCorrectionRequestSchema.safeParse({ ...valid, amountMinor: -1e13 }))).toEqual([
      'amountMinor',
    ]);
    expect(fieldsOf(CostCorrectionRequestSchema.safeParse({ ...valid, reason: '' }))).toEqual(['reason']);
    expect(
      fieldsOf(
        CostCorrectionRequestSchema.safeParse({
          ...valid,
          target: { type: 'delivery_report', placementId: 'p' },
        }),
      ),
    ).toEqual(['target.reportId']);
    expect(fieldsOf(CostCorrectionRequestSchema.safeParse({ ...valid, target: { type: 'fee' } }))).toEqual([
      'target.type',
    ]);
  });

  it('computes the corrected total in bigint, exactly, far beyond a double', () => {
    expect(correctedTotal(10_000n, -2_500n, -7_500n)).toBe(0n);
    expect(correctedTotal(10_000n, 0n, -10_001n)).toBe(-1n);
    expect(correctedTotal(2n ** 60n, 1n, -1n)).toBe(2n ** 60n);
  });
});
