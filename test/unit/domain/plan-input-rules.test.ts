// Input rules of the campaign plan that used to let bad plans through or throw (issue 14): an unknown
// field is refused by name, every duration is checked against its range by the schema, dates stay in
// the supported range, and a plan needing more cohorts than a campaign may run is refused at creation.
import { CampaignPlanSchema, CreateCampaignSchema } from '../../../domain/campaign-plan';
import { MAX_AMOUNT_MINOR } from '../../../domain/money';

const base = {
  registrationWindow: { start: '2026-12-01T00:00:00+08:00', end: '2026-12-31T00:00:00+08:00' },
  activationRule: { event: 'transaction', minAmountMinor: 10000 },
};

const issuesOf = (input: unknown) => {
  const result = CampaignPlanSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};
const fieldsOf = (input: unknown) => issuesOf(input).map((i) => i.path);

describe('unknown fields', () => {
  it('refuses a misspelt plan field instead of dropping it (no silent loss of the budget cap)', () => {
    const issues = issuesOf({ ...base, acquisitionBudgetMinr: 100 });
    expect(issues).toEqual([
      expect.objectContaining({ path: '', message: expect.stringContaining('acquisitionBudgetMinr') }),
    ]);
  });

  it('refuses unknown fields in nested plan objects and in the create request', () => {
    expect(fieldsOf({ ...base, publishing: { verifyEvry: 'PT1H' } })).toEqual(['publishing']);
    expect(fieldsOf({ ...base, incentive: { perRegistration: 5 } })).toEqual(['incentive']);
    expect(fieldsOf({ ...base, registrationWindow: { ...base.registrationWindow, ends: 'x' } })).toEqual([
      'registrationWindow',
    ]);
    const create = CreateCampaignSchema.safeParse({
      name: 'n',
      channels: ['a'],
      materialId: 'm',
      plan: base,
      chanels: [],
    });
    expect(create.success).toBe(false);
  });
});

describe('durations', () => {
  it.each(['P1Y', '', '-P1D', 'PT0.5S', 'PT0S', 'P99999D'])(
    'names cohortGranularity and publishing.verifyEvery for %j instead of throwing',
    (bad) => {
      expect(() => issuesOf({ ...base, cohortGranularity: bad })).not.toThrow();
      expect(fieldsOf({ ...base, cohortGranularity: bad })).toEqual(['cohortGranularity']);
      expect(fieldsOf({ ...base, publishing: { verifyEvery: bad } })).toEqual(['publishing.verifyEvery']);
    },
  );

  it('checks newCustomerPeriod and step offsets against their ranges', () => {
    expect(fieldsOf({ ...base, newCustomerPeriod: 'PT0S' })).toEqual(['newCustomerPeriod']);
    expect(fieldsOf({ ...base, newCustomerPeriod: 'P4000D' })).toEqual(['newCustomerPeriod']);
  });
});

describe('dates and cohorts', () => {
  it('refuses a registration window outside 1970–9999', () => {
    expect(
      fieldsOf({
        ...base,
        registrationWindow: { start: '0001-01-01T00:00:00Z', end: base.registrationWindow.end },
      }),
    ).toEqual(['registrationWindow.start']);
  });

  it('refuses a plan that needs more than 10,000 cohorts, naming the granularity', () => {
    const yearOneTo9999 = { start: '1970-01-01T00:00:00Z', end: '9999-01-01T00:00:00Z' };
    expect(fieldsOf({ ...base, registrationWindow: yearOneTo9999 })).toEqual(['cohortGranularity']);
    const fiveHours = { start: '2026-12-01T00:00:00Z', end: '2026-12-01T05:00:00Z' };
    const issues = issuesOf({ ...base, registrationWindow: fiveHours, cohortGranularity: 'PT1S' });
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'cohortGranularity',
        message: expect.stringContaining('18000 cohorts'),
      }),
    ]);
    expect(fieldsOf({ ...base, registrationWindow: fiveHours, cohortGranularity: 'PT2S' })).toEqual([]);
  });
});

describe('money', () => {
  it('bounds every amount of the plan so that sums stay exact', () => {
    expect(fieldsOf({ ...base, acquisitionBudgetMinor: MAX_AMOUNT_MINOR })).toEqual([]);
    expect(fieldsOf({ ...base, acquisitionBudgetMinor: MAX_AMOUNT_MINOR + 1 })).toEqual([
      'acquisitionBudgetMinor',
    ]);
    expect(fieldsOf({ ...base, incentive: { perRegistrationMinor: Number.MAX_SAFE_INTEGER } })).toEqual([
      'incentive.perRegistrationMinor',
    ]);
  });
});
