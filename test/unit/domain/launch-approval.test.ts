// Which campaigns need launch approval (domain/launch-approval.ts), and how the deployment sets it.
import { loadEnv } from '../../../config';
import { launchApprovalConfigOf, launchApprovalFor } from '../../../domain/launch-approval';

const config = { aboveMinor: 100_000, currency: 'CNY' };

describe('launchApprovalFor', () => {
  it('is off without a configured threshold, whatever the budget', () => {
    expect(launchApprovalFor(null, { acquisitionBudgetMinor: null, currency: 'CNY' })).toEqual({
      required: false,
      threshold: null,
    });
  });

  it('needs approval strictly above the threshold', () => {
    const at = launchApprovalFor(config, { acquisitionBudgetMinor: 100_000, currency: 'CNY' });
    const above = launchApprovalFor(config, { acquisitionBudgetMinor: 100_001, currency: 'CNY' });
    expect(at).toEqual({ required: false, threshold: { amountMinor: 100_000, currency: 'CNY' } });
    expect(above.required).toBe(true);
  });

  it('leans to approval when the spend is unbounded or in a currency it cannot compare', () => {
    expect(launchApprovalFor(config, { acquisitionBudgetMinor: null, currency: 'CNY' }).required).toBe(true);
    expect(launchApprovalFor(config, { acquisitionBudgetMinor: 1, currency: 'USD' }).required).toBe(true);
  });
});

describe('LAUNCH_APPROVAL_ABOVE_MINOR', () => {
  it('unset or empty is off; a number is the threshold; anything else refuses to start', () => {
    expect(launchApprovalConfigOf(loadEnv({}))).toBeNull();
    expect(launchApprovalConfigOf(loadEnv({ LAUNCH_APPROVAL_ABOVE_MINOR: '' }))).toBeNull();
    expect(
      launchApprovalConfigOf(
        loadEnv({ LAUNCH_APPROVAL_ABOVE_MINOR: '500000', LAUNCH_APPROVAL_CURRENCY: 'USD' }),
      ),
    ).toEqual({ aboveMinor: 500_000, currency: 'USD' });
    expect(() => loadEnv({ LAUNCH_APPROVAL_ABOVE_MINOR: 'lots' })).toThrow(/LAUNCH_APPROVAL_ABOVE_MINOR/);
    expect(() => loadEnv({ LAUNCH_APPROVAL_ABOVE_MINOR: '-1' })).toThrow(/LAUNCH_APPROVAL_ABOVE_MINOR/);
  });
});
