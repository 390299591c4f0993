-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ChannelKind" AS ENUM ('offline', 'financial_scenario', 'ecosystem_scenario');

-- CreateEnum
CREATE TYPE "OnlineType" AS ENUM ('ecommerce', 'social', 'entertainment', 'information', 'payment');

-- CreateEnum
CREATE TYPE "ChannelStatus" AS ENUM ('active', 'retired');

-- CreateEnum
CREATE TYPE "ProfileSource" AS ENUM ('internal', 'external');

-- CreateTable
CREATE TABLE "Channel" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ChannelKind" NOT NULL,
    "onlineType" "OnlineType",
    "department" TEXT NOT NULL,
    "costModel" JSONB NOT NULL,
    "canShowMaterial" BOOLEAN NOT NULL DEFAULT true,
    "canDeliverMessages" BOOLEAN NOT NULL DEFAULT false,
    "adapter" JSONB NOT NULL,
    "status" "ChannelStatus" NOT NULL DEFAULT 'active',
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelProfile" (
    "id" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "source" "ProfileSource" NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "traits" JSONB NOT NULL,
    "basis" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Material" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Material_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MaterialVariant" (
    "id" TEXT NOT NULL,
    "materialId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "rule" JSONB,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MaterialVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MaterialVersion" (
    "id" TEXT NOT NULL,
    "materialId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "contentHash" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "approvedBy" TEXT,
    "approvedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MaterialVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'created',
    "planVersion" INTEGER NOT NULL DEFAULT 1,
    "plan" JSONB NOT NULL,
    "materialId" TEXT,
    "currency" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "workflowStartedAt" TIMESTAMP(3),
    "origin" TEXT NOT NULL DEFAULT 'live',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignPlanVersion" (
    "campaignId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "plan" JSONB NOT NULL,
    "changedBy" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignPlanVersion_pkey" PRIMARY KEY ("campaignId","version")
);

-- CreateTable
CREATE TABLE "CampaignChannel" (
    "campaignId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "variantKey" TEXT,
    "materialVersionId" TEXT,
    "explanation" JSONB,

    CONSTRAINT "CampaignChannel_pkey" PRIMARY KEY ("campaignId","channelId")
);

-- CreateTable
CREATE TABLE "Placement" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "materialVersionId" TEXT NOT NULL,
    "variantKey" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "observedHash" TEXT,
    "externalRef" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "publishedAt" TIMESTAMP(3),
    "verifiedAt" TIMESTAMP(3),
    "lastCheckedAt" TIMESTAMP(3),
    "withdrawnAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Placement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfflineTask" (
    "id" TEXT NOT NULL,
    "placementId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "acknowledgedBy" TEXT,
    "acknowledgedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OfflineTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExistingCustomer" (
    "customerRef" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExistingCustomer_pkey" PRIMARY KEY ("customerRef")
);

-- CreateTable
CREATE TABLE "Registration" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerRef" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "placementId" TEXT,
    "materialVersionId" TEXT,
    "variantKey" TEXT,
    "registeredAt" TIMESTAMP(3) NOT NULL,
    "cohortKey" TEXT NOT NULL,
    "periodEndsAt" TIMESTAMP(3) NOT NULL,
    "arm" TEXT NOT NULL,
    "deviceFingerprint" TEXT,
    "contactHash" TEXT,
    "flagReason" TEXT,
    "activatedAt" TIMESTAMP(3),
    "attributes" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Registration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerEvent" (
    "eventId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerRef" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "amountMinor" BIGINT,
    "currency" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerEvent_pkey" PRIMARY KEY ("eventId")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "customerRef" TEXT NOT NULL,
    "cohortKey" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "costMinor" BIGINT NOT NULL,
    "deliveredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cohort" (
    "campaignId" TEXT NOT NULL,
    "cohortKey" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "steps" JSONB NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Cohort_pkey" PRIMARY KEY ("campaignId","cohortKey")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "variantKey" TEXT,
    "cohortKey" TEXT,
    "customerRef" TEXT,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationReport" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "provisional" BOOLEAN NOT NULL,
    "planVersion" INTEGER NOT NULL,
    "factsDigest" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "report" JSONB NOT NULL,

    CONSTRAINT "EvaluationReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "body" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "channelIds" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Channel_code_key" ON "Channel"("code");

-- CreateIndex
CREATE INDEX "Channel_kind_status_idx" ON "Channel"("kind", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelProfile_channelId_version_key" ON "ChannelProfile"("channelId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "MaterialVariant_materialId_key_key" ON "MaterialVariant"("materialId", "key");

-- CreateIndex
CREATE INDEX "MaterialVersion_materialId_idx" ON "MaterialVersion"("materialId");

-- CreateIndex
CREATE UNIQUE INDEX "MaterialVersion_variantId_version_key" ON "MaterialVersion"("variantId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_workflowId_key" ON "Campaign"("workflowId");

-- CreateIndex
CREATE INDEX "Campaign_status_idx" ON "Campaign"("status");

-- CreateIndex
CREATE INDEX "Campaign_createdAt_idx" ON "Campaign"("createdAt");

-- CreateIndex
CREATE INDEX "CampaignChannel_channelId_idx" ON "CampaignChannel"("channelId");

-- CreateIndex
CREATE INDEX "Placement_campaignId_channelId_idx" ON "Placement"("campaignId", "channelId");

-- CreateIndex
CREATE INDEX "OfflineTask_channelId_status_idx" ON "OfflineTask"("channelId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "OfflineTask_placementId_action_key" ON "OfflineTask"("placementId", "action");

-- CreateIndex
CREATE INDEX "Registration_campaignId_cohortKey_flagReason_idx" ON "Registration"("campaignId", "cohortKey", "flagReason");

-- CreateIndex
CREATE INDEX "Registration_campaignId_deviceFingerprint_idx" ON "Registration"("campaignId", "deviceFingerprint");

-- CreateIndex
CREATE INDEX "Registration_campaignId_contactHash_idx" ON "Registration"("campaignId", "contactHash");

-- CreateIndex
CREATE INDEX "Registration_customerRef_idx" ON "Registration"("customerRef");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_campaignId_customerRef_key" ON "Registration"("campaignId", "customerRef");

-- CreateIndex
CREATE INDEX "CustomerEvent_campaignId_customerRef_occurredAt_idx" ON "CustomerEvent"("campaignId", "customerRef", "occurredAt");

-- CreateIndex
CREATE INDEX "Message_campaignId_cohortKey_stepId_idx" ON "Message"("campaignId", "cohortKey", "stepId");

-- CreateIndex
CREATE INDEX "Message_campaignId_customerRef_idx" ON "Message"("campaignId", "customerRef");

-- CreateIndex
CREATE INDEX "LedgerEntry_campaignId_kind_scope_idx" ON "LedgerEntry"("campaignId", "kind", "scope");

-- CreateIndex
CREATE INDEX "EvaluationReport_campaignId_factsDigest_idx" ON "EvaluationReport"("campaignId", "factsDigest");

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationReport_campaignId_version_key" ON "EvaluationReport"("campaignId", "version");

-- CreateIndex
CREATE INDEX "AuditLog_campaignId_at_idx" ON "AuditLog"("campaignId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- AddForeignKey
ALTER TABLE "ChannelProfile" ADD CONSTRAINT "ChannelProfile_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaterialVariant" ADD CONSTRAINT "MaterialVariant_materialId_fkey" FOREIGN KEY ("materialId") REFERENCES "Material"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaterialVersion" ADD CONSTRAINT "MaterialVersion_materialId_fkey" FOREIGN KEY ("materialId") REFERENCES "Material"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaterialVersion" ADD CONSTRAINT "MaterialVersion_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "MaterialVariant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignPlanVersion" ADD CONSTRAINT "CampaignPlanVersion_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignChannel" ADD CONSTRAINT "CampaignChannel_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignChannel" ADD CONSTRAINT "CampaignChannel_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Placement" ADD CONSTRAINT "Placement_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Placement" ADD CONSTRAINT "Placement_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

