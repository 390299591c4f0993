-- Fraud found after the fact and cost corrections (issue 12, items 3 and 4). Money is never edited:
-- both are signed adjustment entries in the ledger that name the entry they reverse or correct.

-- AlterTable: the post-attribution window per channel (ISO-8601 duration), 7 days unless configured.
ALTER TABLE "Channel" ADD COLUMN "postAttributionWindow" TEXT NOT NULL DEFAULT 'P7D';

-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN "adjustsEntryId" TEXT;

-- CreateTable
CREATE TABLE "FraudFlag" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerRef" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "variantKey" TEXT,
    "cohortKey" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT,
    "actor" TEXT NOT NULL,
    "registeredAt" TIMESTAMP(3) NOT NULL,
    "flaggedAt" TIMESTAMP(3) NOT NULL,
    "reversals" JSONB NOT NULL,

    CONSTRAINT "FraudFlag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CostCorrection" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "correctsEntryId" TEXT NOT NULL,
    "target" JSONB NOT NULL,
    "channelId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "ledgerEntryId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CostCorrection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LedgerEntry_adjustsEntryId_idx" ON "LedgerEntry"("adjustsEntryId");

-- CreateIndex
CREATE UNIQUE INDEX "FraudFlag_campaignId_customerRef_key" ON "FraudFlag"("campaignId", "customerRef");

-- CreateIndex
CREATE INDEX "FraudFlag_campaignId_flaggedAt_idx" ON "FraudFlag"("campaignId", "flaggedAt");

-- CreateIndex
CREATE INDEX "FraudFlag_channelId_idx" ON "FraudFlag"("channelId");

-- CreateIndex
CREATE UNIQUE INDEX "CostCorrection_ledgerEntryId_key" ON "CostCorrection"("ledgerEntryId");

-- CreateIndex
CREATE INDEX "CostCorrection_campaignId_createdAt_idx" ON "CostCorrection"("campaignId", "createdAt");
