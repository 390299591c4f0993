-- Where sign-ups drop (the light process, 轻流程): channel systems may report how many sign-ups were
-- started beside impressions and clicks. NULL means the channel did not report it (never 0), so views
-- can tell "nobody started" from "not reported".

-- AlterTable
ALTER TABLE "DeliveryReport" ADD COLUMN "registrationsStarted" BIGINT;
