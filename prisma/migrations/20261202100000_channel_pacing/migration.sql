-- Per-channel acquisition caps and in-flight pacing (issue 11): the current cap per campaign channel,
-- read by the registration ingest under the campaign's lock, and the append-only facts of every change.
-- CreateTable
CREATE TABLE "CampaignChannelPacing" (
    "campaignId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "capMinor" BIGINT NOT NULL,
    "reviewIndex" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CampaignChannelPacing_pkey" PRIMARY KEY ("campaignId","channelId")
);

-- CreateTable
CREATE TABLE "PacingAdjustment" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "reviewIndex" INTEGER NOT NULL,
    "channelId" TEXT NOT NULL,
    "fromMinor" BIGINT NOT NULL,
    "toMinor" BIGINT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PacingAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PacingAdjustment_campaignId_at_idx" ON "PacingAdjustment"("campaignId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "PacingAdjustment_campaignId_reviewIndex_channelId_key" ON "PacingAdjustment"("campaignId", "reviewIndex", "channelId");

