// Mirrors the campaign workflow's phase into the Campaign row, for listing and filtering.
// Idempotent: writing the same phase twice changes nothing.
import type { ActivityDeps } from './deps';

export function createCampaignStatusActivities({ db }: ActivityDeps) {
  return {
    async recordCampaignPhase(input: { campaignId: string; phase: string }): Promise<void> {
      await db.campaign.update({ where: { id: input.campaignId }, data: { status: input.phase } });
    },
    /** Mirrors the launch approval's decision (or its expiry) into the row; the audit entry is the API's. */
    async recordLaunchApproval(input: {
      campaignId: string;
      state: 'approved' | 'rejected' | 'expired' | 'pending';
      by: string | null;
      at: string | null;
      note: string | null;
    }): Promise<void> {
      await db.campaign.update({
        where: { id: input.campaignId },
        data: {
          approvalState: input.state,
          approvalBy: input.by,
          approvalAt: input.at ? new Date(input.at) : null,
          approvalNote: input.note,
        },
      });
    },
  };
}
