// The campaign plan schema: defaults for a bank in mainland China, and the cross-field rules.
import { CampaignPlanSchema } from '../../../domain/campaign-plan';

const base = {
  registrationWindow: { start: '2026-12-01T00:00:00+08:00', end: '2026-12-31T00:00:00+08:00' },
  activationRule: { event: 'transaction', minAmountMinor: 10000 },
};

const fieldsOf = (input: unknown) => {
  const result = CampaignPlanSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};

describe('CampaignPlanSchema', () => {
  it('fills in defaults suited to a bank in mainland China', () => {
    const plan = CampaignPlanSchema.parse(base);
    expect(plan).toMatchObject({
      currency: 'CNY',
      timeZone: 'Asia/Shanghai',
      sendingHours: { start: '09:00', end: '21:00' },
      newCustomerPeriod: 'P30D',
      cohortGranularity: 'P1D',
      controlGroupShare: 0,
      acquisitionBudgetMinor: null,
      publishing: { policy: 'best-effort', verifyEvery: 'PT1H' },
      engagementPlan: { steps: [] },
    });
  });

  it('names each invalid field', () => {
    expect(
      fieldsOf({
        ...base,
        registrationWindow: { start: base.registrationWindow.end, end: base.registrationWindow.start },
        timeZone: 'Mars/Olympus',
        controlGroupShare: 0.6,
        currency: 'yuan',
        sendingHours: { start: '25:00', end: '21:00' },
        publishing: { verifyEvery: 'PT0S' },
      }),
    ).toEqual(
      expect.arrayContaining([
        'registrationWindow.end',
        'timeZone',
        'controlGroupShare',
        'currency',
        'sendingHours.start',
        'publishing.verifyEvery',
      ]),
    );
  });
});
