-- Attribution windows and touches (issue 12, item 5): per-channel windows in the registry, pinned on each
-- campaign's allocation, and how each registration's channel was decided.
ALTER TABLE "Channel" ADD COLUMN "clickThroughWindow" TEXT NOT NULL DEFAULT 'P7D';
ALTER TABLE "Channel" ADD COLUMN "viewThroughWindow" TEXT NOT NULL DEFAULT 'PT24H';
ALTER TABLE "CampaignChannel" ADD COLUMN "clickThroughWindow" TEXT NOT NULL DEFAULT 'P7D';
ALTER TABLE "CampaignChannel" ADD COLUMN "viewThroughWindow" TEXT NOT NULL DEFAULT 'PT24H';
ALTER TABLE "Registration" ADD COLUMN "attributionBasis" TEXT;
ALTER TABLE "Registration" ADD COLUMN "reportedChannelId" TEXT;
ALTER TABLE "Registration" ADD COLUMN "attributedTouchAt" TIMESTAMP(3);
