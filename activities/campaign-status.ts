// Mirrors the campaign workflow's phase into the Campaign row, for listing and filtering.
// Idempotent: writing the same phase twice changes nothing.
import type { ActivityDeps } from './deps';

export function createCampaignStatusActivities({ db }: ActivityDeps) {
  return {
    async recordCampaignPhase(input: { campaignId: string; phase: string }): Promise<void> {
      await db.campaign.update({ where: { id: input.campaignId }, data: { status: input.phase } });
    },
  };
}
