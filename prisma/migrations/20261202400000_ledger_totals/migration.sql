-- Running totals of the ledger per campaign × kind × scope × currency, kept by PostgreSQL itself: every
-- insert, update or delete of "LedgerEntry" (whatever the writer: ingest, cohort steps, publishing,
-- delivery reports, importers, a hand edit) adjusts them in the same transaction, so they always equal a
-- recomputation from the entries. The registration ingest reads the acquisition total for its budget
-- check, and the event ingest the revenue total for its exactness bound, instead of summing every
-- entry of the campaign per batch (45 ms per batch at 100,000 registrations, growing with the campaign).
-- NUMERIC(38,0): a total can never overflow, whatever the entries.

-- CreateTable
CREATE TABLE "LedgerTotal" (
    "campaignId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "amountMinor" DECIMAL(38,0) NOT NULL,
    "entries" BIGINT NOT NULL,

    CONSTRAINT "LedgerTotal_pkey" PRIMARY KEY ("campaignId","kind","scope","currency")
);

-- The function bodies are E'' strings with \x3B for each semicolon: Prisma's driver-adapter migration
-- path splits a migration at every semicolon, even inside a dollar-quoted body.
-- Statement-level triggers with transition tables: one upsert per statement (a batch of 1,000 entries
-- is one row per key), in key order, so that two writers lock the same totals in the same order.
CREATE FUNCTION ledger_total_add() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "LedgerTotal" ("campaignId", "kind", "scope", "currency", "amountMinor", "entries")
  SELECT "campaignId", "kind", "scope", "currency", sum("amountMinor"), count(*)
    FROM added GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("campaignId", "kind", "scope", "currency") DO UPDATE
    SET "amountMinor" = "LedgerTotal"."amountMinor" + EXCLUDED."amountMinor",
        "entries" = "LedgerTotal"."entries" + EXCLUDED."entries"\x3B
  RETURN NULL\x3B
END ';

CREATE FUNCTION ledger_total_remove() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "LedgerTotal" ("campaignId", "kind", "scope", "currency", "amountMinor", "entries")
  SELECT "campaignId", "kind", "scope", "currency", -sum("amountMinor"), -count(*)
    FROM removed GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("campaignId", "kind", "scope", "currency") DO UPDATE
    SET "amountMinor" = "LedgerTotal"."amountMinor" + EXCLUDED."amountMinor",
        "entries" = "LedgerTotal"."entries" + EXCLUDED."entries"\x3B
  RETURN NULL\x3B
END ';

-- An update moves an entry: out of its old key, into its new one (removed first, then added).
CREATE FUNCTION ledger_total_move() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "LedgerTotal" ("campaignId", "kind", "scope", "currency", "amountMinor", "entries")
  SELECT "campaignId", "kind", "scope", "currency", sum(amount), sum(n)
    FROM (SELECT "campaignId", "kind", "scope", "currency", -"amountMinor"::numeric AS amount, -1 AS n FROM removed
          UNION ALL
          SELECT "campaignId", "kind", "scope", "currency", "amountMinor"::numeric, 1 FROM added) moved
   GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("campaignId", "kind", "scope", "currency") DO UPDATE
    SET "amountMinor" = "LedgerTotal"."amountMinor" + EXCLUDED."amountMinor",
        "entries" = "LedgerTotal"."entries" + EXCLUDED."entries"\x3B
  RETURN NULL\x3B
END ';

CREATE TRIGGER ledger_total_insert AFTER INSERT ON "LedgerEntry"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ledger_total_add();
CREATE TRIGGER ledger_total_delete AFTER DELETE ON "LedgerEntry"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION ledger_total_remove();
CREATE TRIGGER ledger_total_update AFTER UPDATE ON "LedgerEntry"
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ledger_total_move();

-- The entries already stored.
INSERT INTO "LedgerTotal" ("campaignId", "kind", "scope", "currency", "amountMinor", "entries")
SELECT "campaignId", "kind", "scope", "currency", sum("amountMinor"), count(*)
  FROM "LedgerEntry" GROUP BY 1, 2, 3, 4;
