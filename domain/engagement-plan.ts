// A campaign's education and engagement plan (用户教育 / 用户互动) for the new-customer period, as data:
// which message goes out when after registration, through which channel, to whom, and at what cost.
// Each cohort workflow runs these steps at cohort start + offset (see ./schedule).
// Imported by workflow code: no Node built-ins, no clock, pure functions only.
import { z } from 'zod';
import { DurationSchema, durationInRange, durationMs } from './duration';
import { MinorAmountSchema } from './money';
import { text } from './text';

export const MAX_PLAN_STEPS = 50;

export const PlanStepKindSchema = z.enum(['education', 'engagement']);
export type PlanStepKind = z.infer<typeof PlanStepKindSchema>;

/**
 * Who in the cohort receives a step. Control-group customers never do: they are the baseline the
 * campaign's lift is measured against.
 * - not_activated: treatment customers not yet activated when the step runs (nudges towards activation);
 * - activated: treatment customers already activated (e.g. education about the next product);
 * - treatment_all: every treatment customer.
 */
export const PlanAudienceSchema = z.enum(['not_activated', 'activated', 'treatment_all']);
export type PlanAudience = z.infer<typeof PlanAudienceSchema>;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const EngagementStepSchema = z.strictObject({
  /** Unique within the plan; part of each message's idempotency key, so it must never be reused for another step. */
  id: z.string().max(64).regex(SLUG, {
    message: "Invalid step id: use lower-case letters, digits and single dashes, e.g. 'day-1-welcome'",
  }),
  /** Time after registration (in practice: after the cohort's start), e.g. 'P1D', or 'PT20S' in tests. */
  offset: durationInRange('PT0S', 'P3660D'),
  kind: PlanStepKindSchema,
  /** The immutable material version sent, so that what a customer received can always be shown again. */
  materialVersionId: text({ trim: true, min: 1, max: 200 }),
  /** The delivery channel (its code in the channel registry). */
  channelCode: text({ trim: true, min: 1, max: 100 }),
  audience: PlanAudienceSchema,
  /** Cost of one message in minor units of the campaign's currency; recorded in the cost ledger per send. */
  costPerMessageMinor: MinorAmountSchema,
});
export type EngagementStep = z.infer<typeof EngagementStepSchema>;

export const EngagementPlanSchema = z
  .strictObject({
    steps: z.array(EngagementStepSchema).max(MAX_PLAN_STEPS, `A plan has at most ${MAX_PLAN_STEPS} steps`),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.steps.forEach((step, index) => {
      if (seen.has(step.id)) {
        ctx.addIssue({
          code: 'custom',
          message: `Step id "${step.id}" is used twice`,
          path: ['steps', index, 'id'],
        });
      }
      seen.add(step.id);
    });
    // Steps listed in time order keep a plan readable as a timeline; equal offsets are fine (two messages on one day).
    for (let index = 1; index < plan.steps.length; index++) {
      const [previous, step] = [plan.steps[index - 1], plan.steps[index]];
      if (!previous || !step || !isValid(previous.offset) || !isValid(step.offset)) continue;
      if (durationMs(step.offset) < durationMs(previous.offset)) {
        ctx.addIssue({
          code: 'custom',
          message: `Steps must be listed in order of offset: "${step.id}" (${step.offset}) comes before "${previous.id}" (${previous.offset})`,
          path: ['steps', index, 'offset'],
        });
      }
    }
  });
export type EngagementPlan = z.infer<typeof EngagementPlanSchema>;

function isValid(offset: string): boolean {
  return DurationSchema.safeParse(offset).success;
}
