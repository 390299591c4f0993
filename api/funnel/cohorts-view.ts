// GET /campaigns/:id/cohorts — every cohort of the campaign: its members counted from the registrations
// (valid, control, treatment, activated) and its progress from the Cohort row the cohort workflow and the
// step activity keep (status, and per step: status, delivered, skipped, finishedAt). A cohort with
// registrations but no row yet (its workflow has not started) is listed as 'pending', with the bounds the
// plan gives it.
// Its reply schema is declared here and types the builder; the OpenAPI document imports it.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { cohortsOfWindow } from '../../domain/cohort';
import type { FunnelCampaign } from '../../funnel/ingest/campaign-context';
import { WITHHELD_REASONS } from '../../funnel/contact-decision';
import { Prisma } from '../../generated/prisma/client';
import { NullableTimestamp, Timestamp, Uuid } from '../openapi/common';

/**
 * One step's entry in the Cohort row's `steps` JSON, as the step activity merges it
 * (activities/cohort-steps.ts markStep): each write adds fields, so a running step has only a status.
 */
const CohortStepProgressSchema = z.looseObject({
  status: z.enum(['running', 'completed', 'cancelled', 'failed']),
  delivered: z.int().optional().describe('Members messaged (this run and earlier attempts)'),
  skipped: z.int().optional().describe('Members not messaged: control arm, out of the audience, withheld'),
  withheld: z.record(z.enum(WITHHELD_REASONS), z.int()).optional(),
  finishedAt: Timestamp.optional(),
  error: z.string().optional().describe('Why the step failed for good (a non-retryable channel error)'),
});
type CohortStepsProgress = Record<string, z.infer<typeof CohortStepProgressSchema>>;

/** The reply of GET /campaigns/:id/cohorts. */
export const CohortsViewSchema = z.object({
  campaignId: Uuid,
  items: z.array(
    z.object({
      cohortKey: z.string(),
      status: z.enum(['pending', 'running', 'completed', 'cancelled']),
      startsAt: NullableTimestamp,
      endsAt: NullableTimestamp,
      members: z.object({
        members: z.int().describe('Every registration of the cohort, flagged ones included'),
        valid: z.int(),
        treatment: z.int(),
        control: z.int(),
        activated: z.int(),
      }),
      steps: z
        .record(z.string(), CohortStepProgressSchema)
        .describe('By step id; a step not begun is absent'),
      updatedAt: NullableTimestamp,
    }),
  ),
});
export type CohortsView = z.infer<typeof CohortsViewSchema>;
type CohortStatus = CohortsView['items'][number]['status'];

interface MemberCounts {
  cohortKey: string;
  members: number;
  valid: number;
  treatment: number;
  control: number;
  activated: number;
}

const NO_MEMBERS = { members: 0, valid: 0, treatment: 0, control: 0, activated: 0 };

export async function viewCohorts(db: Db, campaign: FunnelCampaign): Promise<CohortsView> {
  const [counts, rows] = await Promise.all([
    db.$queryRaw<MemberCounts[]>(Prisma.sql`
      SELECT "cohortKey",
             count(*)::int AS members,
             count(*) FILTER (WHERE "flagReason" IS NULL)::int AS valid,
             count(*) FILTER (WHERE "flagReason" IS NULL AND arm = 'treatment')::int AS treatment,
             count(*) FILTER (WHERE "flagReason" IS NULL AND arm = 'control')::int AS control,
             count(*) FILTER (WHERE "flagReason" IS NULL AND "activatedAt" IS NOT NULL)::int AS activated
        FROM "Registration"
       WHERE "campaignId" = ${campaign.id}
       GROUP BY "cohortKey"`),
    db.cohort.findMany({ where: { campaignId: campaign.id } }),
  ]);
  const { registrationWindow, cohortGranularity, timeZone } = campaign.plan;
  const planned = new Map(
    cohortsOfWindow(registrationWindow, cohortGranularity, timeZone).map((c) => [c.key, c]),
  );
  const byKey = new Map(counts.map((c) => [c.cohortKey, c]));
  const rowByKey = new Map(rows.map((r) => [r.cohortKey, r]));
  // Keys of one campaign share one format and sort as text in time order (domain/cohort.ts).
  const keys = [...new Set([...byKey.keys(), ...rowByKey.keys()])].sort();
  return {
    campaignId: campaign.id,
    items: keys.map((cohortKey) => {
      const row = rowByKey.get(cohortKey);
      const { cohortKey: _key, ...members } = byKey.get(cohortKey) ?? { cohortKey, ...NO_MEMBERS };
      return {
        cohortKey,
        // Written only by the cohort workflow's activities, from the same four statuses.
        status: (row?.status ?? 'pending') as CohortStatus,
        startsAt: row?.startsAt.toISOString() ?? planned.get(cohortKey)?.start ?? null,
        endsAt: row?.endsAt.toISOString() ?? planned.get(cohortKey)?.end ?? null,
        members,
        // Written only by markStep (activities/cohort-steps.ts), in the shape of CohortStepProgressSchema.
        steps: (row?.steps ?? {}) as CohortStepsProgress,
        updatedAt: row?.updatedAt.toISOString() ?? null,
      };
    }),
  };
}
