-- Contact policy versions, the per-customer contact ledger, consent records and erasures (issue 12 items 1, 2).
CREATE TABLE "ContactPolicyVersion" (
    "version" INTEGER NOT NULL,
    "policy" JSONB NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ContactPolicyVersion_pkey" PRIMARY KEY ("version")
);

CREATE TABLE "ContactDecision" (
    "messageId" TEXT NOT NULL,
    "customerRef" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "cohortKey" TEXT NOT NULL,
    "channelCode" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "counted" BOOLEAN NOT NULL,
    "policyVersion" INTEGER,
    "decidedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "ContactDecision_pkey" PRIMARY KEY ("messageId")
);
CREATE INDEX "ContactDecision_customerRef_decidedAt_idx" ON "ContactDecision"("customerRef", "decidedAt");
CREATE INDEX "ContactDecision_campaignId_cohortKey_stepId_outcome_idx" ON "ContactDecision"("campaignId", "cohortKey", "stepId", "outcome");

CREATE TABLE "ConsentRecord" (
    "id" TEXT NOT NULL,
    "customerRef" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConsentRecord_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ConsentRecord_customerRef_scope_recordedAt_idx" ON "ConsentRecord"("customerRef", "scope", "recordedAt");
CREATE INDEX "ConsentRecord_decision_recordedAt_idx" ON "ConsentRecord"("decision", "recordedAt");

CREATE TABLE "CustomerErasure" (
    "customerRef" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "registrations" INTEGER NOT NULL,
    "erasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CustomerErasure_pkey" PRIMARY KEY ("customerRef")
);
