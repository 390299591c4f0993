// GET /campaigns/:id/cohorts — every cohort of the campaign: its members counted from the registrations
// (valid, control, treatment, activated) and its progress from the Cohort row the cohort workflow and the
// step activity keep (status, and per step: status, delivered, skipped, finishedAt). A cohort with
// registrations but no row yet (its workflow has not started) is listed as 'pending', with the bounds the
// plan gives it.
import type { Db } from '../../db/client';
import { cohortsOfWindow } from '../../domain/cohort';
import type { FunnelCampaign } from '../../funnel/ingest/campaign-context';
import { Prisma } from '../../generated/prisma/client';

interface MemberCounts {
  cohortKey: string;
  members: number;
  valid: number;
  treatment: number;
  control: number;
  activated: number;
}

const NO_MEMBERS = { members: 0, valid: 0, treatment: 0, control: 0, activated: 0 };

export async function viewCohorts(db: Db, campaign: FunnelCampaign) {
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
        status: row?.status ?? 'pending',
        startsAt: row?.startsAt.toISOString() ?? planned.get(cohortKey)?.start ?? null,
        endsAt: row?.endsAt.toISOString() ?? planned.get(cohortKey)?.end ?? null,
        members,
        steps: row?.steps ?? {},
        updatedAt: row?.updatedAt.toISOString() ?? null,
      };
    }),
  };
}
