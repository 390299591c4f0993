// The campaign definition as data: what a marketer submits to create a campaign, validated by zod.
// The plan is versioned (Campaign.planVersion); workflows read the version they were started with.
// Defaults suit a bank in mainland China (Asia/Shanghai, CNY, sending 09:00–21:00); all are configurable.
import { z } from 'zod';
import { ActivationRuleSchema } from '../funnel/activation-rule';
import { EngagementPlanSchema } from '../funnel/engagement-plan';
import { DurationSchema, durationMs } from './duration';

const Iso = z.iso.datetime({ offset: true });
const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00–24:00)');
const MinorAmount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * At most this many placement verification rounds per registration window: the campaign workflow
 * stretches `publishing.verifyEvery` for longer windows, which keeps its history bounded.
 */
export const MAX_VERIFICATION_ROUNDS = 2000;

export const PublishingPolicySchema = z.enum(['all-or-nothing', 'best-effort']);

export const CampaignPlanSchema = z
  .object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code')
      .default('CNY'),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone').default('Asia/Shanghai'),
    registrationWindow: z.object({ start: Iso, end: Iso }),
    newCustomerPeriod: DurationSchema.default('P30D'),
    cohortGranularity: DurationSchema.default('P1D'),
    sendingHours: z.object({ start: HourMinute, end: HourMinute }).default({ start: '09:00', end: '21:00' }),
    incentive: z
      .object({
        perRegistrationMinor: MinorAmount.default(0),
        perActivationMinor: MinorAmount.default(0),
      })
      .default({ perRegistrationMinor: 0, perActivationMinor: 0 }),
    acquisitionBudgetMinor: MinorAmount.nullable().default(null),
    controlGroupShare: z.number().min(0).max(0.5).default(0),
    activationRule: ActivationRuleSchema,
    engagementPlan: EngagementPlanSchema.default({ steps: [] }),
    publishing: z
      .object({
        policy: PublishingPolicySchema.default('best-effort'),
        verifyEvery: DurationSchema.default('PT1H'),
      })
      .default({ policy: 'best-effort', verifyEvery: 'PT1H' }),
  })
  .superRefine((plan, ctx) => {
    if (Date.parse(plan.registrationWindow.end) <= Date.parse(plan.registrationWindow.start)) {
      ctx.addIssue({
        code: 'custom',
        path: ['registrationWindow', 'end'],
        message: 'must be after registrationWindow.start',
      });
    }
    if (durationMs(plan.cohortGranularity) <= 0) {
      ctx.addIssue({ code: 'custom', path: ['cohortGranularity'], message: 'must be positive' });
    }
    if (durationMs(plan.publishing.verifyEvery) <= 0) {
      ctx.addIssue({ code: 'custom', path: ['publishing', 'verifyEvery'], message: 'must be positive' });
    }
  });

export type CampaignPlan = z.infer<typeof CampaignPlanSchema>;
export type CampaignPlanInput = z.input<typeof CampaignPlanSchema>;

export const CreateCampaignSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** Channel codes from the registry; every one must exist and be active. */
  channels: z.array(z.string().min(1)).min(1).max(500),
  /** The material to publish; the variant per channel is resolved by targeting rules. */
  materialId: z.string().min(1),
  plan: CampaignPlanSchema,
});

export type CreateCampaignRequest = z.infer<typeof CreateCampaignSchema>;
