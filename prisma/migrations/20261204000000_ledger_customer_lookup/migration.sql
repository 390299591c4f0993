-- The rollup trigger on "Registration" looks each registering customer's revenue up by (campaign, customer)
-- (20261203300000_evaluation_rollups, "LedgerEntry_revenue_customer_idx"). The (campaignId, kind, scope)
-- index matched that lookup as well as the partial index did, and without column statistics (a table never
-- analysed: a fresh deployment, or a server with autovacuum off) the planner rates the two alike and took it
-- — then walked every revenue entry of the campaign for each registration, with customerRef as a filter:
-- 1.7 s per registration at 250,000 revenue entries, a minute per 1,000-row batch (docs/benchmarks.md,
-- 2026-12-03 evening). With customerRef added to this index, whichever of the two the planner picks is a
-- lookup of the one customer, and the campaign/kind/scope sums still use its first three columns.
DROP INDEX "LedgerEntry_campaignId_kind_scope_idx";
CREATE INDEX "LedgerEntry_campaignId_kind_scope_customerRef_idx" ON "LedgerEntry" ("campaignId", "kind", "scope", "customerRef");
