-- Per-API-key request counts in one-minute windows (api/auth/rate-limit.ts). In PostgreSQL rather than
-- in memory so that several API processes share one limit. keyId is not a foreign key: test principals
-- are counted too, and a deleted key's windows expire on their own.

-- CreateTable
CREATE TABLE "RateLimitWindow" (
    "keyId" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RateLimitWindow_pkey" PRIMARY KEY ("keyId","windowStart")
);
