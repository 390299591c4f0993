-- Channel delivery reports (impressions and clicks per placement and period), from which CPM and CPC
-- channel costs are booked to the acquisition ledger. Not foreign keys: like the ledger, the rows are
-- facts kept whatever happens to the placement or channel rows later.

-- CreateTable
CREATE TABLE "DeliveryReport" (
    "placementId" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "impressions" BIGINT NOT NULL,
    "clicks" BIGINT NOT NULL,
    "costMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliveryReport_pkey" PRIMARY KEY ("placementId","reportId")
);

-- CreateIndex
CREATE INDEX "DeliveryReport_campaignId_channelId_idx" ON "DeliveryReport"("campaignId", "channelId");
