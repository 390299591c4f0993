// The demo campaign on compressed time: the same plan a bank would run over weeks, squeezed so that a
// newcomer sees it all within about ten minutes — a registration window of a few minutes, cohorts of a
// minute, education and engagement steps tens of seconds apart, a three-minute new-customer period,
// and a control group so that the evaluation can measure the messages' lift. Every figure is data here.
import type { CreateCampaignRequest } from '../domain/campaign-plan';
import { DEMO_CHANNEL_CODES } from './bank';

/** The compressed clock, in one place (docs/demo.md, "Timeline"). */
export const DEMO_TIMING = {
  registrationWindowMs: 4 * 60_000,
  cohortGranularity: 'PT1M',
  newCustomerPeriod: 'PT3M',
  // A step never runs before its cohort closes (workflows/cohort.ts): the first is due at the close,
  // the next ones 20 seconds apart, all well inside the period.
  steps: { welcome: 'PT1M', depositNudge: 'PT1M20S', wealthStarter: 'PT1M40S' },
  verifyEvery: 'PT1M',
} as const;

/** How a demo campaign is told apart from everything else: its creator and this name prefix. */
export const DEMO_CAMPAIGN_PREFIX = '演示 Demo · 开户季 Account-opening season';

export interface DemoCampaignInputs {
  /** 1 for the first demo campaign, 2 for the next… */
  sequence: number;
  now: Date;
  acquisitionMaterialId: string;
  periodVersionIds: { welcome: string; depositNudge: string; wealthStarter: string };
}

export function demoCampaignName(sequence: number): string {
  return `${DEMO_CAMPAIGN_PREFIX} #${sequence}`;
}

export function demoCampaignRequest(inputs: DemoCampaignInputs): CreateCampaignRequest {
  const start = inputs.now.getTime();
  const { steps } = DEMO_TIMING;
  return {
    name: demoCampaignName(inputs.sequence),
    channels: [...DEMO_CHANNEL_CODES],
    materialId: inputs.acquisitionMaterialId,
    plan: {
      currency: 'CNY',
      timeZone: 'Asia/Shanghai',
      registrationWindow: {
        start: new Date(start).toISOString(),
        end: new Date(start + DEMO_TIMING.registrationWindowMs).toISOString(),
      },
      newCustomerPeriod: DEMO_TIMING.newCustomerPeriod,
      cohortGranularity: DEMO_TIMING.cohortGranularity,
      // Compressed time has no night: messages may go out at any hour.
      sendingHours: { start: '00:00', end: '24:00' },
      incentive: { perRegistrationMinor: 1_000, perActivationMinor: 2_000 },
      acquisitionBudgetMinor: null,
      // One in five registrations gets no messages: the baseline the lift is measured against.
      controlGroupShare: 0.2,
      // Activated: a first deposit or payment of ¥100, or three logins and any deposit.
      activationRule: {
        any: [
          { event: 'deposit', atLeast: 1, minAmountMinor: 10_000 },
          { event: 'transaction', atLeast: 1, minAmountMinor: 10_000 },
          {
            all: [
              { event: 'login', atLeast: 3 },
              { event: 'deposit', atLeast: 1 },
            ],
          },
        ],
      },
      engagementPlan: {
        steps: [
          {
            id: 'welcome-guide',
            offset: steps.welcome,
            kind: 'education',
            materialVersionId: inputs.periodVersionIds.welcome,
            channelCode: 'mobile-banking',
            audience: 'not_activated',
            costPerMessageMinor: 5,
          },
          {
            id: 'first-deposit-nudge',
            offset: steps.depositNudge,
            kind: 'engagement',
            materialVersionId: inputs.periodVersionIds.depositNudge,
            channelCode: 'wechat-banking',
            audience: 'not_activated',
            costPerMessageMinor: 3,
          },
          {
            id: 'wealth-starter',
            offset: steps.wealthStarter,
            kind: 'engagement',
            materialVersionId: inputs.periodVersionIds.wealthStarter,
            channelCode: 'mobile-banking',
            audience: 'activated',
            costPerMessageMinor: 5,
          },
        ],
      },
      publishing: { policy: 'best-effort', verifyEvery: DEMO_TIMING.verifyEvery },
    },
  };
}
