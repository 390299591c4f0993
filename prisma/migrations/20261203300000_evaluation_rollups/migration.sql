-- Evaluation rollups: running totals of the facts the evaluation groups by, kept by PostgreSQL itself in
-- the same transaction as the facts (statement-level triggers with transition tables, like LedgerTotal),
-- whatever the writer: registration and event ingest, fraud flags, cost corrections, delivery reports,
-- cohort steps, publishing, importers' staging copies, a hand edit. The evaluation reads these instead of
-- scanning a million registrations (evaluation/rollups.ts), the fact scan stays, as the views
-- "…RollupFacts" below and as evaluation/sql.ts, and `npm run rollups:check` compares the two.
--
-- THE KEY, in one place (evaluation/rollups.ts names the same columns, the *RollupFacts views define it):
-- - FunnelRollup: campaign × channel × material variant × cohort × arm × flag reason → registrations,
--   activated, last periodEndsAt, and the period revenue (campaign currency) of those customers,
-- - LedgerRollup: campaign × kind × scope × category × channel × variant × cohort × currency → amount, entries,
-- - ActivationTimeRollup: campaign × channel × variant × cohort × exact activation seconds → activations of
--   valid registrations: a histogram of exact values, so percentiles from it equal those over the facts.
-- A NULL attribute is stored as '' (a key column cannot be NULL), no variant, cohort or reason code is empty.
--
-- "writer" is the backend that wrote the delta (pg_backend_pid()): a connection runs one transaction at a
-- time, so two concurrent transactions never upsert the same rollup row — no writer waits on another's
-- rollup row, and no lock order between writers can deadlock, parallel batches serialise no more than the
-- campaign's advisory locks already make them. Readers sum over writers.
-- Amounts are NUMERIC(38,0) so that a running total can never overflow, whatever the entries.
-- Function bodies are E'' strings with \x3B for each semicolon: Prisma's driver-adapter migration path
-- splits a migration at every semicolon, even inside a dollar-quoted body.

CREATE TABLE "FunnelRollup" (
    "campaignId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "variantKey" TEXT NOT NULL,
    "cohortKey" TEXT NOT NULL,
    "arm" TEXT NOT NULL,
    "flagReason" TEXT NOT NULL,
    "writer" INTEGER NOT NULL,
    "registrations" BIGINT NOT NULL,
    "activated" BIGINT NOT NULL,
    "periodEndsAt" TIMESTAMP(3),
    "revenueMinor" DECIMAL(38,0) NOT NULL,
    "revenueEntries" BIGINT NOT NULL,
    CONSTRAINT "FunnelRollup_pkey" PRIMARY KEY ("campaignId","channelId","variantKey","cohortKey","arm","flagReason","writer")
);

CREATE TABLE "LedgerRollup" (
    "campaignId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "variantKey" TEXT NOT NULL,
    "cohortKey" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "writer" INTEGER NOT NULL,
    "amountMinor" DECIMAL(38,0) NOT NULL,
    "entries" BIGINT NOT NULL,
    CONSTRAINT "LedgerRollup_pkey" PRIMARY KEY ("campaignId","kind","scope","category","channelId","variantKey","cohortKey","currency","writer")
);

CREATE TABLE "ActivationTimeRollup" (
    "campaignId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "variantKey" TEXT NOT NULL,
    "cohortKey" TEXT NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "writer" INTEGER NOT NULL,
    "activations" INTEGER NOT NULL,
    CONSTRAINT "ActivationTimeRollup_pkey" PRIMARY KEY ("campaignId","channelId","variantKey","cohortKey","seconds","writer")
);

-- A removed activation (a fraud flag, a delete) is a negative count in the remover's row: while a campaign
-- has none, the evaluation reads the histogram's rows as they are, without netting them per value first.
CREATE INDEX "ActivationTimeRollup_removals_idx" ON "ActivationTimeRollup" ("campaignId") WHERE activations < 0;

-- A registration that arrives after revenue under its customerRef (imports, hand-made entries) takes that
-- revenue with it, and one that changes bucket (a fraud flag) moves it: both look the customer's revenue up
-- here instead of scanning the campaign's ledger.
CREATE INDEX "LedgerEntry_revenue_customer_idx" ON "LedgerEntry" ("campaignId", "customerRef")
  WHERE kind = 'revenue' AND scope = 'period';

-- The recomputation from the facts, key for key (what the check compares with, and the backfill).
CREATE VIEW "FunnelRollupFacts" AS
SELECT r."campaignId", r."channelId", coalesce(r."variantKey", '') AS "variantKey", r."cohortKey", r.arm,
       coalesce(r."flagReason", '') AS "flagReason", count(*) AS registrations, count(r."activatedAt") AS activated,
       max(r."periodEndsAt") AS "periodEndsAt", coalesce(sum(v.amount), 0)::numeric AS "revenueMinor",
       coalesce(sum(v.entries), 0)::bigint AS "revenueEntries"
  FROM "Registration" r
  LEFT JOIN LATERAL (
    SELECT sum(l."amountMinor") AS amount, count(*) AS entries
      FROM "LedgerEntry" l JOIN "Campaign" c ON c.id = l."campaignId"
     WHERE l."campaignId" = r."campaignId" AND l."customerRef" = r."customerRef"
       AND l.kind = 'revenue' AND l.scope = 'period' AND l.currency = c.currency
  ) v ON true
 GROUP BY 1, 2, 3, 4, 5, 6;

CREATE VIEW "LedgerRollupFacts" AS
SELECT "campaignId", kind, scope, category, "channelId", coalesce("variantKey", '') AS "variantKey",
       coalesce("cohortKey", '') AS "cohortKey", currency, sum("amountMinor")::numeric AS "amountMinor",
       count(*) AS entries
  FROM "LedgerEntry"
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

CREATE VIEW "ActivationTimeRollupFacts" AS
SELECT "campaignId", "channelId", coalesce("variantKey", '') AS "variantKey", "cohortKey",
       greatest(0, extract(epoch FROM "activatedAt" - "registeredAt"))::float8 AS seconds, count(*) AS activations
  FROM "Registration"
 WHERE "flagReason" IS NULL AND "activatedAt" IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5;

-- Triggers: each builds its statement's signed delta rows d, then upserts them in key order (into this
-- backend's rows only). An UPDATE of a registration contributes only rows whose bucket, customer,
-- activation or times changed, only a change of bucket or customer moves the customer's revenue. DELETE,
-- and an UPDATE that moves a registration to another cohort or period end, recompute periodEndsAt of the
-- keys they left (a maximum cannot be decremented), an activation or a flag leaves it, which keeps each
-- cohort's last period end right (the registration is still in its cohort).
CREATE FUNCTION rollup_registrations_insert() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  WITH d AS (
    SELECT 1 AS sign, "campaignId", "customerRef", "channelId", coalesce("variantKey", '''') AS "variantKey",
           "cohortKey", arm, coalesce("flagReason", '''') AS "flagReason", "activatedAt" IS NOT NULL AS activated,
           "periodEndsAt", greatest(0, extract(epoch FROM "activatedAt" - "registeredAt"))::float8 AS seconds,
           true AS moves
      FROM added
  ), f AS (
    INSERT INTO "FunnelRollup" ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer, registrations, activated, "periodEndsAt", "revenueMinor", "revenueEntries")
    SELECT d."campaignId", d."channelId", d."variantKey", d."cohortKey", d.arm, d."flagReason", pg_backend_pid(),
           sum(d.sign), coalesce(sum(d.sign) FILTER (WHERE d.activated), 0), max(d."periodEndsAt") FILTER (WHERE d.sign > 0),
           coalesce(sum(d.sign * v.amount), 0), coalesce(sum(d.sign * v.entries), 0)
      FROM d
      LEFT JOIN LATERAL (
        SELECT sum(l."amountMinor") AS amount, count(*) AS entries
          FROM "LedgerEntry" l JOIN "Campaign" c ON c.id = l."campaignId"
         WHERE d.moves AND l."campaignId" = d."campaignId" AND l."customerRef" = d."customerRef"
           AND l.kind = ''revenue'' AND l.scope = ''period'' AND l.currency = c.currency
      ) v ON true
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer) DO UPDATE
    SET registrations = "FunnelRollup".registrations + EXCLUDED.registrations,
        activated = "FunnelRollup".activated + EXCLUDED.activated,
        "periodEndsAt" = greatest("FunnelRollup"."periodEndsAt", EXCLUDED."periodEndsAt"),
        "revenueMinor" = "FunnelRollup"."revenueMinor" + EXCLUDED."revenueMinor",
        "revenueEntries" = "FunnelRollup"."revenueEntries" + EXCLUDED."revenueEntries"
  )
  INSERT INTO "ActivationTimeRollup" ("campaignId", "channelId", "variantKey", "cohortKey", seconds, writer, activations)
  SELECT "campaignId", "channelId", "variantKey", "cohortKey", seconds, pg_backend_pid(), sum(sign)
    FROM d WHERE "flagReason" = '''' AND activated
   GROUP BY 1, 2, 3, 4, 5 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("campaignId", "channelId", "variantKey", "cohortKey", seconds, writer) DO UPDATE
    SET activations = "ActivationTimeRollup".activations + EXCLUDED.activations\x3B
  RETURN NULL\x3B
END ';
CREATE FUNCTION rollup_registrations_delete() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  WITH d AS (
    SELECT -1 AS sign, "campaignId", "customerRef", "channelId", coalesce("variantKey", '''') AS "variantKey",
           "cohortKey", arm, coalesce("flagReason", '''') AS "flagReason", "activatedAt" IS NOT NULL AS activated,
           "periodEndsAt", greatest(0, extract(epoch FROM "activatedAt" - "registeredAt"))::float8 AS seconds,
           true AS moves
      FROM removed
  ), f AS (
    INSERT INTO "FunnelRollup" ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer, registrations, activated, "periodEndsAt", "revenueMinor", "revenueEntries")
    SELECT d."campaignId", d."channelId", d."variantKey", d."cohortKey", d.arm, d."flagReason", pg_backend_pid(),
           sum(d.sign), coalesce(sum(d.sign) FILTER (WHERE d.activated), 0), max(d."periodEndsAt") FILTER (WHERE d.sign > 0),
           coalesce(sum(d.sign * v.amount), 0), coalesce(sum(d.sign * v.entries), 0)
      FROM d
      LEFT JOIN LATERAL (
        SELECT sum(l."amountMinor") AS amount, count(*) AS entries
          FROM "LedgerEntry" l JOIN "Campaign" c ON c.id = l."campaignId"
         WHERE d.moves AND l."campaignId" = d."campaignId" AND l."customerRef" = d."customerRef"
           AND l.kind = ''revenue'' AND l.scope = ''period'' AND l.currency = c.currency
      ) v ON true
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer) DO UPDATE
    SET registrations = "FunnelRollup".registrations + EXCLUDED.registrations,
        activated = "FunnelRollup".activated + EXCLUDED.activated,
        "periodEndsAt" = greatest("FunnelRollup"."periodEndsAt", EXCLUDED."periodEndsAt"),
        "revenueMinor" = "FunnelRollup"."revenueMinor" + EXCLUDED."revenueMinor",
        "revenueEntries" = "FunnelRollup"."revenueEntries" + EXCLUDED."revenueEntries"
  )
  INSERT INTO "ActivationTimeRollup" ("campaignId", "channelId", "variantKey", "cohortKey", seconds, writer, activations)
  SELECT "campaignId", "channelId", "variantKey", "cohortKey", seconds, pg_backend_pid(), sum(sign)
    FROM d WHERE "flagReason" = '''' AND activated
   GROUP BY 1, 2, 3, 4, 5 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("campaignId", "channelId", "variantKey", "cohortKey", seconds, writer) DO UPDATE
    SET activations = "ActivationTimeRollup".activations + EXCLUDED.activations\x3B
  WITH left_keys AS (
    SELECT DISTINCT "campaignId", "channelId", coalesce("variantKey", ''''), "cohortKey", arm, coalesce("flagReason", '''')
      FROM removed
  )
  -- One grouped pass over the affected cohorts (a key left with no registration keeps a stale value,
  -- which no reader uses: they skip keys whose registrations sum to 0).
  UPDATE "FunnelRollup" f SET "periodEndsAt" = x.last
    FROM (SELECT r."campaignId", r."channelId", coalesce(r."variantKey", '''') AS v, r."cohortKey", r.arm,
                 coalesce(r."flagReason", '''') AS fr, max(r."periodEndsAt") AS last
            FROM "Registration" r
           WHERE (r."campaignId", r."cohortKey") IN (SELECT DISTINCT "campaignId", "cohortKey" FROM left_keys)
           GROUP BY 1, 2, 3, 4, 5, 6) x
   WHERE (f."campaignId", f."channelId", f."variantKey", f."cohortKey", f.arm, f."flagReason") IN (SELECT * FROM left_keys)
     AND f."campaignId" = x."campaignId" AND f."channelId" = x."channelId" AND f."variantKey" = x.v
     AND f."cohortKey" = x."cohortKey" AND f.arm = x.arm AND f."flagReason" = x.fr
     AND f."periodEndsAt" IS DISTINCT FROM x.last\x3B
  RETURN NULL\x3B
END ';
CREATE FUNCTION rollup_registrations_update() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  WITH changed AS (
    SELECT o.id, (o."campaignId", o."customerRef", o."channelId", o."variantKey", o."cohortKey", o.arm, o."flagReason")
          IS DISTINCT FROM (n."campaignId", n."customerRef", n."channelId", n."variantKey", n."cohortKey", n.arm, n."flagReason") AS moves
      FROM removed o JOIN added n ON n.id = o.id
     WHERE (o."campaignId", o."customerRef", o."channelId", o."variantKey", o."cohortKey", o.arm, o."flagReason",
            o."activatedAt", o."registeredAt", o."periodEndsAt")
           IS DISTINCT FROM (n."campaignId", n."customerRef", n."channelId", n."variantKey", n."cohortKey", n.arm,
            n."flagReason", n."activatedAt", n."registeredAt", n."periodEndsAt")
  ), d AS (
    SELECT -1 AS sign, o."campaignId", o."customerRef", "channelId", coalesce("variantKey", '''') AS "variantKey",
           "cohortKey", arm, coalesce("flagReason", '''') AS "flagReason", "activatedAt" IS NOT NULL AS activated,
           "periodEndsAt", greatest(0, extract(epoch FROM "activatedAt" - "registeredAt"))::float8 AS seconds,
           c.moves AS moves
      FROM removed o JOIN changed c USING (id)
    UNION ALL
    SELECT 1 AS sign, o."campaignId", o."customerRef", "channelId", coalesce("variantKey", '''') AS "variantKey",
           "cohortKey", arm, coalesce("flagReason", '''') AS "flagReason", "activatedAt" IS NOT NULL AS activated,
           "periodEndsAt", greatest(0, extract(epoch FROM "activatedAt" - "registeredAt"))::float8 AS seconds,
           c.moves AS moves
      FROM added o JOIN changed c USING (id)
  ), f AS (
    INSERT INTO "FunnelRollup" ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer, registrations, activated, "periodEndsAt", "revenueMinor", "revenueEntries")
    SELECT d."campaignId", d."channelId", d."variantKey", d."cohortKey", d.arm, d."flagReason", pg_backend_pid(),
           sum(d.sign), coalesce(sum(d.sign) FILTER (WHERE d.activated), 0), max(d."periodEndsAt") FILTER (WHERE d.sign > 0),
           coalesce(sum(d.sign * v.amount), 0), coalesce(sum(d.sign * v.entries), 0)
      FROM d
      LEFT JOIN LATERAL (
        SELECT sum(l."amountMinor") AS amount, count(*) AS entries
          FROM "LedgerEntry" l JOIN "Campaign" c ON c.id = l."campaignId"
         WHERE d.moves AND l."campaignId" = d."campaignId" AND l."customerRef" = d."customerRef"
           AND l.kind = ''revenue'' AND l.scope = ''period'' AND l.currency = c.currency
      ) v ON true
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer) DO UPDATE
    SET registrations = "FunnelRollup".registrations + EXCLUDED.registrations,
        activated = "FunnelRollup".activated + EXCLUDED.activated,
        "periodEndsAt" = greatest("FunnelRollup"."periodEndsAt", EXCLUDED."periodEndsAt"),
        "revenueMinor" = "FunnelRollup"."revenueMinor" + EXCLUDED."revenueMinor",
        "revenueEntries" = "FunnelRollup"."revenueEntries" + EXCLUDED."revenueEntries"
  )
  INSERT INTO "ActivationTimeRollup" ("campaignId", "channelId", "variantKey", "cohortKey", seconds, writer, activations)
  SELECT "campaignId", "channelId", "variantKey", "cohortKey", seconds, pg_backend_pid(), sum(sign)
    FROM d WHERE "flagReason" = '''' AND activated
   GROUP BY 1, 2, 3, 4, 5 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("campaignId", "channelId", "variantKey", "cohortKey", seconds, writer) DO UPDATE
    SET activations = "ActivationTimeRollup".activations + EXCLUDED.activations\x3B
  -- A registration that left its cohort or changed its period end: the keys it left get their maximum again.
  WITH left_keys AS (
    SELECT DISTINCT o."campaignId", o."channelId", coalesce(o."variantKey", ''''), o."cohortKey", o.arm,
           coalesce(o."flagReason", '''')
      FROM removed o JOIN added n ON n.id = o.id
     WHERE (o."campaignId", o."cohortKey", o."periodEndsAt") IS DISTINCT FROM (n."campaignId", n."cohortKey", n."periodEndsAt")
  )
  -- One grouped pass over the affected cohorts (a key left with no registration keeps a stale value,
  -- which no reader uses: they skip keys whose registrations sum to 0).
  UPDATE "FunnelRollup" f SET "periodEndsAt" = x.last
    FROM (SELECT r."campaignId", r."channelId", coalesce(r."variantKey", '''') AS v, r."cohortKey", r.arm,
                 coalesce(r."flagReason", '''') AS fr, max(r."periodEndsAt") AS last
            FROM "Registration" r
           WHERE (r."campaignId", r."cohortKey") IN (SELECT DISTINCT "campaignId", "cohortKey" FROM left_keys)
           GROUP BY 1, 2, 3, 4, 5, 6) x
   WHERE (f."campaignId", f."channelId", f."variantKey", f."cohortKey", f.arm, f."flagReason") IN (SELECT * FROM left_keys)
     AND f."campaignId" = x."campaignId" AND f."channelId" = x."channelId" AND f."variantKey" = x.v
     AND f."cohortKey" = x."cohortKey" AND f.arm = x.arm AND f."flagReason" = x.fr
     AND f."periodEndsAt" IS DISTINCT FROM x.last\x3B
  RETURN NULL\x3B
END ';
CREATE FUNCTION rollup_ledger_insert() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  WITH d AS (
    SELECT 1 AS sign, "campaignId", kind, scope, category, "channelId", coalesce("variantKey", '''') AS "variantKey",
           coalesce("cohortKey", '''') AS "cohortKey", currency, "customerRef", "amountMinor"
      FROM added
  ), f AS (
    -- Period revenue in the campaign currency also counts for its customer''s registration bucket.
    INSERT INTO "FunnelRollup" ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer, registrations, activated, "periodEndsAt", "revenueMinor", "revenueEntries")
    SELECT r."campaignId", r."channelId", coalesce(r."variantKey", ''''), r."cohortKey", r.arm,
           coalesce(r."flagReason", ''''), pg_backend_pid(), 0, 0, NULL, sum(d.sign * d."amountMinor"), sum(d.sign)
      FROM d
      JOIN "Campaign" c ON c.id = d."campaignId" AND c.currency = d.currency
      JOIN "Registration" r ON r."campaignId" = d."campaignId" AND r."customerRef" = d."customerRef"
     WHERE d.kind = ''revenue'' AND d.scope = ''period''
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer) DO UPDATE
    SET registrations = "FunnelRollup".registrations + EXCLUDED.registrations,
        activated = "FunnelRollup".activated + EXCLUDED.activated,
        "periodEndsAt" = greatest("FunnelRollup"."periodEndsAt", EXCLUDED."periodEndsAt"),
        "revenueMinor" = "FunnelRollup"."revenueMinor" + EXCLUDED."revenueMinor",
        "revenueEntries" = "FunnelRollup"."revenueEntries" + EXCLUDED."revenueEntries"
  )
  INSERT INTO "LedgerRollup" ("campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, writer,
                              "amountMinor", entries)
  SELECT "campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, pg_backend_pid(),
         sum(sign * "amountMinor"), sum(sign)
    FROM d GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT ("campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, writer) DO UPDATE
    SET "amountMinor" = "LedgerRollup"."amountMinor" + EXCLUDED."amountMinor",
        entries = "LedgerRollup".entries + EXCLUDED.entries\x3B
  RETURN NULL\x3B
END ';
CREATE FUNCTION rollup_ledger_delete() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  WITH d AS (
    SELECT -1 AS sign, "campaignId", kind, scope, category, "channelId", coalesce("variantKey", '''') AS "variantKey",
           coalesce("cohortKey", '''') AS "cohortKey", currency, "customerRef", "amountMinor"
      FROM removed
  ), f AS (
    -- Period revenue in the campaign currency also counts for its customer''s registration bucket.
    INSERT INTO "FunnelRollup" ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer, registrations, activated, "periodEndsAt", "revenueMinor", "revenueEntries")
    SELECT r."campaignId", r."channelId", coalesce(r."variantKey", ''''), r."cohortKey", r.arm,
           coalesce(r."flagReason", ''''), pg_backend_pid(), 0, 0, NULL, sum(d.sign * d."amountMinor"), sum(d.sign)
      FROM d
      JOIN "Campaign" c ON c.id = d."campaignId" AND c.currency = d.currency
      JOIN "Registration" r ON r."campaignId" = d."campaignId" AND r."customerRef" = d."customerRef"
     WHERE d.kind = ''revenue'' AND d.scope = ''period''
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer) DO UPDATE
    SET registrations = "FunnelRollup".registrations + EXCLUDED.registrations,
        activated = "FunnelRollup".activated + EXCLUDED.activated,
        "periodEndsAt" = greatest("FunnelRollup"."periodEndsAt", EXCLUDED."periodEndsAt"),
        "revenueMinor" = "FunnelRollup"."revenueMinor" + EXCLUDED."revenueMinor",
        "revenueEntries" = "FunnelRollup"."revenueEntries" + EXCLUDED."revenueEntries"
  )
  INSERT INTO "LedgerRollup" ("campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, writer,
                              "amountMinor", entries)
  SELECT "campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, pg_backend_pid(),
         sum(sign * "amountMinor"), sum(sign)
    FROM d GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT ("campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, writer) DO UPDATE
    SET "amountMinor" = "LedgerRollup"."amountMinor" + EXCLUDED."amountMinor",
        entries = "LedgerRollup".entries + EXCLUDED.entries\x3B
  RETURN NULL\x3B
END ';
CREATE FUNCTION rollup_ledger_update() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  WITH d AS (
    SELECT -1 AS sign, "campaignId", kind, scope, category, "channelId", coalesce("variantKey", '''') AS "variantKey",
           coalesce("cohortKey", '''') AS "cohortKey", currency, "customerRef", "amountMinor"
      FROM removed
    UNION ALL
    SELECT 1 AS sign, "campaignId", kind, scope, category, "channelId", coalesce("variantKey", '''') AS "variantKey",
           coalesce("cohortKey", '''') AS "cohortKey", currency, "customerRef", "amountMinor"
      FROM added
  ), f AS (
    -- Period revenue in the campaign currency also counts for its customer''s registration bucket.
    INSERT INTO "FunnelRollup" ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer, registrations, activated, "periodEndsAt", "revenueMinor", "revenueEntries")
    SELECT r."campaignId", r."channelId", coalesce(r."variantKey", ''''), r."cohortKey", r.arm,
           coalesce(r."flagReason", ''''), pg_backend_pid(), 0, 0, NULL, sum(d.sign * d."amountMinor"), sum(d.sign)
      FROM d
      JOIN "Campaign" c ON c.id = d."campaignId" AND c.currency = d.currency
      JOIN "Registration" r ON r."campaignId" = d."campaignId" AND r."customerRef" = d."customerRef"
     WHERE d.kind = ''revenue'' AND d.scope = ''period''
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer) DO UPDATE
    SET registrations = "FunnelRollup".registrations + EXCLUDED.registrations,
        activated = "FunnelRollup".activated + EXCLUDED.activated,
        "periodEndsAt" = greatest("FunnelRollup"."periodEndsAt", EXCLUDED."periodEndsAt"),
        "revenueMinor" = "FunnelRollup"."revenueMinor" + EXCLUDED."revenueMinor",
        "revenueEntries" = "FunnelRollup"."revenueEntries" + EXCLUDED."revenueEntries"
  )
  INSERT INTO "LedgerRollup" ("campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, writer,
                              "amountMinor", entries)
  SELECT "campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, pg_backend_pid(),
         sum(sign * "amountMinor"), sum(sign)
    FROM d GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT ("campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, writer) DO UPDATE
    SET "amountMinor" = "LedgerRollup"."amountMinor" + EXCLUDED."amountMinor",
        entries = "LedgerRollup".entries + EXCLUDED.entries\x3B
  RETURN NULL\x3B
END ';

-- Adds (facts − rollups) for one campaign as this backend's delta: in one snapshot, it makes the rollups equal
-- the facts without locking concurrent writers out (their facts and their deltas are both outside the snapshot).
CREATE FUNCTION rollup_repair_campaign(p_campaign text) RETURNS bigint LANGUAGE plpgsql AS E'
DECLARE
  funnel_rows bigint\x3B
  ledger_rows bigint\x3B
  time_rows bigint\x3B
BEGIN
  INSERT INTO "FunnelRollup" ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer, registrations,
                              activated, "periodEndsAt", "revenueMinor", "revenueEntries")
  SELECT "campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", pg_backend_pid(), sum(registrations),
         sum(activated), max("periodEndsAt"), sum("revenueMinor"), sum("revenueEntries")
    FROM (SELECT "campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", registrations, activated,
                 "periodEndsAt", "revenueMinor", "revenueEntries"
            FROM "FunnelRollupFacts" WHERE "campaignId" = p_campaign
          UNION ALL
          SELECT "campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", -registrations, -activated,
                 NULL, -"revenueMinor", -"revenueEntries"
            FROM "FunnelRollup" WHERE "campaignId" = p_campaign) x
   GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(registrations) <> 0 OR sum(activated) <> 0 OR sum("revenueMinor") <> 0 OR sum("revenueEntries") <> 0
   ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("campaignId", "channelId", "variantKey", "cohortKey", arm, "flagReason", writer) DO UPDATE
    SET registrations = "FunnelRollup".registrations + EXCLUDED.registrations,
        activated = "FunnelRollup".activated + EXCLUDED.activated,
        "periodEndsAt" = greatest("FunnelRollup"."periodEndsAt", EXCLUDED."periodEndsAt"),
        "revenueMinor" = "FunnelRollup"."revenueMinor" + EXCLUDED."revenueMinor",
        "revenueEntries" = "FunnelRollup"."revenueEntries" + EXCLUDED."revenueEntries"\x3B
  GET DIAGNOSTICS funnel_rows = ROW_COUNT\x3B
  -- Last period ends: set every key of the campaign to the facts'' maximum (a maximum cannot be netted).
  UPDATE "FunnelRollup" f SET "periodEndsAt" = x."periodEndsAt"
    FROM "FunnelRollupFacts" x
   WHERE f."campaignId" = p_campaign AND x."campaignId" = p_campaign AND x."channelId" = f."channelId"
     AND x."variantKey" = f."variantKey" AND x."cohortKey" = f."cohortKey" AND x.arm = f.arm
     AND x."flagReason" = f."flagReason" AND f."periodEndsAt" IS DISTINCT FROM x."periodEndsAt"\x3B
  INSERT INTO "LedgerRollup" ("campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, writer,
                              "amountMinor", entries)
  SELECT "campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, pg_backend_pid(),
         sum("amountMinor"), sum(entries)
    FROM (SELECT "campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, "amountMinor", entries
            FROM "LedgerRollupFacts" WHERE "campaignId" = p_campaign
          UNION ALL
          SELECT "campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, -"amountMinor", -entries
            FROM "LedgerRollup" WHERE "campaignId" = p_campaign) x
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  HAVING sum("amountMinor") <> 0 OR sum(entries) <> 0
   ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT ("campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey", currency, writer) DO UPDATE
    SET "amountMinor" = "LedgerRollup"."amountMinor" + EXCLUDED."amountMinor",
        entries = "LedgerRollup".entries + EXCLUDED.entries\x3B
  GET DIAGNOSTICS ledger_rows = ROW_COUNT\x3B
  INSERT INTO "ActivationTimeRollup" ("campaignId", "channelId", "variantKey", "cohortKey", seconds, writer, activations)
  SELECT "campaignId", "channelId", "variantKey", "cohortKey", seconds, pg_backend_pid(), sum(activations)
    FROM (SELECT "campaignId", "channelId", "variantKey", "cohortKey", seconds, activations
            FROM "ActivationTimeRollupFacts" WHERE "campaignId" = p_campaign
          UNION ALL
          SELECT "campaignId", "channelId", "variantKey", "cohortKey", seconds, -activations
            FROM "ActivationTimeRollup" WHERE "campaignId" = p_campaign) x
   GROUP BY 1, 2, 3, 4, 5
  HAVING sum(activations) <> 0
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("campaignId", "channelId", "variantKey", "cohortKey", seconds, writer) DO UPDATE
    SET activations = "ActivationTimeRollup".activations + EXCLUDED.activations\x3B
  GET DIAGNOSTICS time_rows = ROW_COUNT\x3B
  RETURN funnel_rows + ledger_rows + time_rows\x3B
END ';

CREATE TRIGGER rollup_registrations_insert AFTER INSERT ON "Registration"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION rollup_registrations_insert();
CREATE TRIGGER rollup_registrations_delete AFTER DELETE ON "Registration"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION rollup_registrations_delete();
CREATE TRIGGER rollup_registrations_update AFTER UPDATE ON "Registration"
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION rollup_registrations_update();
CREATE TRIGGER rollup_ledger_insert AFTER INSERT ON "LedgerEntry"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION rollup_ledger_insert();
CREATE TRIGGER rollup_ledger_delete AFTER DELETE ON "LedgerEntry"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION rollup_ledger_delete();
CREATE TRIGGER rollup_ledger_update AFTER UPDATE ON "LedgerEntry"
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION rollup_ledger_update();

-- The facts already stored (the migration runs before any writer): every campaign gets its rollups, so
-- the evaluation never needs a fallback to the facts.
SELECT rollup_repair_campaign(id) FROM "Campaign";
