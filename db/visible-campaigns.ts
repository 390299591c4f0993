// Campaign rows that read paths show. A history import stages its rows under a campaign whose status is
// 'importing' (importers/history-campaign.ts) and flips it to 'completed' at the end, in one short
// transaction: until then the campaign and its facts must not be listed, counted or chosen as history,
// so that a half-done (or failed) import is never seen.
export const IMPORTING_STATUS = 'importing';

/** A Prisma `where` fragment: every campaign but an import still being staged. */
export const VISIBLE_CAMPAIGN = { NOT: { status: IMPORTING_STATUS } } as const;
