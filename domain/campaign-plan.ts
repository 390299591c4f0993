// The campaign definition as data: what a marketer submits to create a campaign, validated by zod.
// The plan is versioned (Campaign.planVersion); workflows read the version they were started with.
// Defaults suit a bank in mainland China (Asia/Shanghai, CNY, sending 09:00–21:00); all are configurable.
import { z } from 'zod';
import { ActivationRuleSchema } from './activation-rule';
import { AttributionPlanSchema } from './attribution';
import { EngagementPlanSchema } from './engagement-plan';
import { cohortCountOfWindow, MAX_COHORTS_PER_WINDOW } from './cohort';
import { durationInRange } from './duration';
import { MinorAmountSchema as MinorAmount } from './money';
import { pacingPlanSchema } from './pacing-plan';
import { InstantSchema as Iso, instantInRange, text } from './text';

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00–24:00)');

/**
 * The range of each duration of a plan (docs/api/campaigns.md). Lower bounds: one second is the
 * finest cohort and check the workflows keep. Upper bounds: a new-customer period or cohort of more
 * than ten years, or a verification interval longer than a month, is a typo, not a campaign.
 */
export const PLAN_DURATION_RANGES = {
  newCustomerPeriod: ['PT1S', 'P3660D'],
  cohortGranularity: ['PT1S', 'P366D'],
  verifyEvery: ['PT1S', 'P31D'],
  reviewEvery: ['PT1S', 'P31D'],
  earlyActivationWithin: ['PT1S', 'P366D'],
} as const;
const duration = (name: keyof typeof PLAN_DURATION_RANGES) => {
  const [min, max] = PLAN_DURATION_RANGES[name];
  return durationInRange(min, max);
};

/** Zones already found valid: building an Intl formatter per check cost the API ~1 ms per ingest batch. */
const validTimeZones = new Set<string>();

function isTimeZone(tz: string): boolean {
  if (validTimeZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    return false;
  }
  validTimeZones.add(tz);
  return true;
}

/**
 * At most this many placement verification rounds per registration window: the campaign workflow
 * stretches `publishing.verifyEvery` for longer windows, which keeps its history bounded.
 */
export const MAX_VERIFICATION_ROUNDS = 2000;

export const PublishingPolicySchema = z.enum(['all-or-nothing', 'best-effort']);

export const CampaignPlanSchema = z
  .strictObject({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code')
      .default('CNY'),
    timeZone: text({ max: 100 }).refine(isTimeZone, 'must be an IANA time zone').default('Asia/Shanghai'),
    registrationWindow: z.strictObject({ start: Iso, end: Iso }),
    newCustomerPeriod: duration('newCustomerPeriod').default('P30D'),
    cohortGranularity: duration('cohortGranularity').default('P1D'),
    sendingHours: z
      .strictObject({ start: HourMinute, end: HourMinute })
      .default({ start: '09:00', end: '21:00' }),
    incentive: z
      .strictObject({
        perRegistrationMinor: MinorAmount.default(0),
        perActivationMinor: MinorAmount.default(0),
      })
      .default({ perRegistrationMinor: 0, perActivationMinor: 0 }),
    acquisitionBudgetMinor: MinorAmount.nullable().default(null),
    controlGroupShare: z.number().min(0).max(0.5).default(0),
    activationRule: ActivationRuleSchema,
    engagementPlan: EngagementPlanSchema.default({ steps: [] }),
    publishing: z
      .strictObject({
        policy: PublishingPolicySchema.default('best-effort'),
        verifyEvery: duration('verifyEvery').default('PT1H'),
      })
      .default({ policy: 'best-effort', verifyEvery: 'PT1H' }),
    /** Per-channel caps and in-flight pacing (domain/pacing-plan.ts); absent: no per-channel cap. */
    pacing: pacingPlanSchema(duration).optional(),
    /**
     * Which touch gets a registration that carries touches (domain/attribution.ts): `last_touch` unless
     * `first_touch` is chosen. Absent means last_touch; the windows are the channels'.
     */
    attribution: AttributionPlanSchema.optional(),
  })
  .superRefine((plan, ctx) => {
    if (Date.parse(plan.registrationWindow.end) <= Date.parse(plan.registrationWindow.start)) {
      ctx.addIssue({
        code: 'custom',
        path: ['registrationWindow', 'end'],
        message: 'must be after registrationWindow.start',
      });
    }
    // Each cohort is a child workflow: the count is bounded here, at the door, not by the workflow
    // failing on every retry. zod runs this refinement even when a field already has an issue (an
    // invalid duration), so it must not throw: a field that does not parse is named by its own issue.
    const { start, end } = plan.registrationWindow;
    const windowValid = instantInRange(start) && instantInRange(end) && Date.parse(end) > Date.parse(start);
    const cohorts = windowValid
      ? safely(() => cohortCountOfWindow(plan.registrationWindow, plan.cohortGranularity, plan.timeZone))
      : undefined;
    if (cohorts !== undefined && cohorts > MAX_COHORTS_PER_WINDOW) {
      ctx.addIssue({
        code: 'custom',
        path: ['cohortGranularity'],
        message: `splits the registration window into ${cohorts} cohorts (at most ${MAX_COHORTS_PER_WINDOW}): choose a longer granularity or a shorter window`,
        params: { reason: 'too_many_cohorts' },
      });
    }
  });

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

export type CampaignPlan = z.infer<typeof CampaignPlanSchema>;
export type CampaignPlanInput = z.input<typeof CampaignPlanSchema>;

/**
 * Reads a stored plan (Campaign.plan). The schema is strict, for requests; a stored plan may carry
 * `history`, the metadata importers add beside the plan (evaluation/db-campaign.ts), which is no
 * part of the plan and is left out here.
 */
export function parseStoredPlan(stored: unknown) {
  const { history: _history, ...plan } = (stored ?? {}) as Record<string, unknown>;
  return CampaignPlanSchema.safeParse(plan);
}

export const CreateCampaignSchema = z.strictObject({
  name: text({ trim: true, min: 1, max: 200 }),
  /** Channel codes from the registry; every one must exist and be active. */
  channels: z
    .array(text({ min: 1, max: 100 }))
    .min(1)
    .max(500),
  /** The material to publish; the variant per channel is resolved by targeting rules. */
  materialId: text({ min: 1, max: 200 }),
  plan: CampaignPlanSchema,
});

export type CreateCampaignRequest = z.infer<typeof CreateCampaignSchema>;
