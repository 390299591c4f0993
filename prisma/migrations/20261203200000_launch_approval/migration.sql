-- Launch approval (maker-checker, issue 12 item 6). Whether a campaign needs a second person's approval
-- is decided once, at creation, from the deployment's threshold, and stored here: changing the
-- configuration later never changes a campaign already created. The decision (who, when, the note) is
-- mirrored here by the campaign workflow, which is the source of truth while it runs.

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN "createdByPrincipalId" TEXT;
ALTER TABLE "Campaign" ADD COLUMN "approvalRequired" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Campaign" ADD COLUMN "approvalThresholdMinor" BIGINT;
ALTER TABLE "Campaign" ADD COLUMN "approvalThresholdCurrency" TEXT;
ALTER TABLE "Campaign" ADD COLUMN "approvalState" TEXT NOT NULL DEFAULT 'not_required';
ALTER TABLE "Campaign" ADD COLUMN "approvalBy" TEXT;
ALTER TABLE "Campaign" ADD COLUMN "approvalAt" TIMESTAMP(3);
ALTER TABLE "Campaign" ADD COLUMN "approvalNote" TEXT;
