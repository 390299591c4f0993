// Mirrors a cohort workflow's status into the Cohort row (created on first sight), for the API.
import type { ActivityDeps } from './deps';

export function createCohortStatusActivities({ db }: ActivityDeps) {
  return {
    /** Registrations (valid or not) in a cohort: used to tell an empty cohort from a late one. */
    async countCohortMembers(input: { campaignId: string; cohortKey: string }): Promise<number> {
      return db.registration.count({ where: { campaignId: input.campaignId, cohortKey: input.cohortKey } });
    },

    async recordCohortStatus(input: {
      campaignId: string;
      cohortKey: string;
      start: string;
      end: string;
      status: string;
    }) {
      await db.cohort.upsert({
        where: { campaignId_cohortKey: { campaignId: input.campaignId, cohortKey: input.cohortKey } },
        create: {
          campaignId: input.campaignId,
          cohortKey: input.cohortKey,
          startsAt: new Date(input.start),
          endsAt: new Date(input.end),
          status: input.status,
        },
        update: { status: input.status },
      });
    },
  };
}
