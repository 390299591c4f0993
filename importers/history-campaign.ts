// Writes one imported campaign (origin 'imported', status 'completed') with its channels, registrations,
// ledger entries and customer events, all or nothing, in flat memory whatever the file's size:
// - the rows are written as they are read, in bounded batches (db/bulk-insert.ts, BULK_CHUNK_ROWS), under
//   a STAGING campaign row whose status is 'importing' — no read path shows such a campaign
//   (db/visible-campaigns.ts), and its facts are reachable only through it;
// - at the end one short transaction turns it into the imported campaign (name, plan, channels, status
//   'completed', the file's workflowId) — the moment the whole history becomes visible at once;
// - a failure (a bad row without skipBadRows, a duplicate key, a crash) drops the staging rows; if even that
//   fails (the process died), the next import of the same file drops them first, so a rerun is clean.
// The campaign's workflowId is derived from the file's sha256, so importing the same file again finds the
// first import instead of doubling the history (which would double-count every channel profile and
// comparison built on it); that is checked before anything is written.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { CampaignPlanSchema, type CampaignPlanInput } from '../domain/campaign-plan';
import type { ChannelKind } from '../domain/channel';
import type { HistoryMeta } from '../evaluation/db-campaign';
import { canonicalJson } from '../evaluation/db-digest';
import { Prisma } from '../generated/prisma/client';
import {
  BULK_CHUNK_ROWS,
  insertCustomerEvents,
  insertLedgerEntries,
  insertRegistrations,
} from '../db/bulk-insert';
import { IMPORTING_STATUS } from '../db/visible-campaigns';

export interface ChannelSeed {
  readonly code: string;
  readonly name: string;
  readonly kind: ChannelKind;
  readonly department: string;
  readonly costModel: {
    type: 'fixed_per_placement' | 'cpm' | 'cpc' | 'per_registration';
    amountMinor: number;
    currency: string;
  };
  readonly canShowMaterial: boolean;
  readonly canDeliverMessages: boolean;
}

export interface RegistrationSeed {
  readonly customerRef: string;
  readonly channelCode: string;
  readonly variantKey: string;
  readonly registeredAt: Date;
  readonly cohortKey: string;
  readonly periodEndsAt: Date;
  readonly arm: string;
  readonly activatedAt: Date | null;
  readonly attributes: Record<string, string | number | boolean>;
}

export interface LedgerSeed {
  readonly id: string;
  readonly kind: 'cost' | 'revenue';
  readonly scope: 'acquisition' | 'period';
  readonly category: string;
  readonly channelCode: string;
  readonly variantKey: string;
  readonly cohortKey: string;
  readonly customerRef: string;
  readonly amountMinor: number;
  readonly occurredAt: Date;
}

export interface EventSeed {
  readonly eventId: string;
  readonly customerRef: string;
  readonly type: string;
  readonly amountMinor: number | null;
  readonly occurredAt: Date;
}

/** What is known before the file is read. */
export interface HistoryStart {
  readonly history: Pick<HistoryMeta, 'source' | 'fileName' | 'fileSha256' | 'parameters'>;
  readonly currency: string;
  /** Every channel the rows may name; those that some row names are created and linked at the end. */
  readonly channels: readonly ChannelSeed[];
  readonly actor: string;
  /** Called after each batch is staged with the number of rows staged so far (progress; tests interrupt here). */
  readonly onProgress?: (rowsStaged: number) => void | Promise<void>;
}

/** What is known once the file is read: the campaign as it becomes visible. */
export interface HistoryFinish {
  readonly name: string;
  readonly plan: CampaignPlanInput;
  readonly history: HistoryMeta;
}

/** The facts of one row of the file. */
export interface HistoryRowSeeds {
  readonly registration: RegistrationSeed;
  readonly ledger: readonly LedgerSeed[];
  readonly events: readonly EventSeed[];
}

/** Stages one row's facts; returns a promise only when a batch is written (await it then). */
export type StageRow = (seeds: HistoryRowSeeds) => void | Promise<void>;

/** The same file was imported before with different parameters (or rows): refuse rather than guess. */
export class ImportConflictError extends Error {
  constructor(
    message: string,
    readonly campaignId: string,
  ) {
    super(message);
  }
}

// The short transaction that makes a staged import visible; the rows are already written.
const FINISH_TIMEOUT_MS = 60_000;
/** A staging campaign whose import made no progress for this long is a leftover of a process that died. */
export const STAGING_STALE_AFTER_MS = 10 * 60_000;

export function historyWorkflowId(history: Pick<HistoryMeta, 'source' | 'fileSha256'>): string {
  return `history-${history.source}-${history.fileSha256.slice(0, 32)}`;
}

/** The staging campaign's workflowId: unique per attempt, findable per file. */
const stagingPrefix = (workflowId: string) => `importing:${workflowId}:`;

const sameParameters = (stored: HistoryMeta | undefined, history: HistoryStart['history']) =>
  // jsonb reorders object keys, so compare canonical forms.
  stored !== undefined && canonicalJson(stored.parameters) === canonicalJson(history.parameters);

function conflict(history: HistoryStart['history'], campaignId: string): ImportConflictError {
  return new ImportConflictError(
    `${history.fileName} (sha256 ${history.fileSha256.slice(0, 12)}…) was already imported as campaign ` +
      `${campaignId} with other parameters or rows; importing it again would count its customers twice`,
    campaignId,
  );
}

/** The campaign already stored for this file, refused at once if its parameters differ. */
async function earlierImport(
  db: Db,
  workflowId: string,
  history: HistoryStart['history'],
): Promise<{ id: string; rowsImported: number } | null> {
  const existing = await db.campaign.findUnique({ where: { workflowId }, select: { id: true, plan: true } });
  if (!existing) return null;
  const stored = (existing.plan as { history?: HistoryMeta } | null)?.history;
  if (!sameParameters(stored, history)) throw conflict(history, existing.id);
  return { id: existing.id, rowsImported: stored!.rowsImported };
}

/**
 * Imports one history: `read` reads the file, hands each row's facts to `stage` and returns what the
 * campaign becomes. A file imported before (same sha256) is read without writing anything, to check that
 * the same rows would be imported, and its campaign is returned.
 */
export async function writeHistory(
  db: Db,
  start: HistoryStart,
  read: (stage: StageRow) => Promise<HistoryFinish>,
): Promise<{ campaignId: string; alreadyImported: boolean }> {
  const workflowId = historyWorkflowId(start.history);
  const earlier = await earlierImport(db, workflowId, start.history);
  if (earlier) {
    const finish = await read(() => {});
    if (finish.history.rowsImported !== earlier.rowsImported) throw conflict(start.history, earlier.id);
    return { campaignId: earlier.id, alreadyImported: true };
  }
  const staging = await StagedHistory.begin(db, workflowId, start);
  try {
    const finish = await read((seeds) => staging.add(seeds));
    await staging.flush();
    return await staging.finish(finish);
  } catch (err) {
    await staging.discard();
    throw err;
  }
}

/** Drops a staging campaign and everything written under it. */
async function dropStaging(db: Db, campaignId: string): Promise<void> {
  const where = { campaignId };
  await db.registration.deleteMany({ where });
  await db.ledgerEntry.deleteMany({ where });
  await db.customerEvent.deleteMany({ where });
  await db.campaignChannel.deleteMany({ where });
  await db.campaignPlanVersion.deleteMany({ where });
  await db.campaign.deleteMany({ where: { id: campaignId, status: IMPORTING_STATUS } });
}

class StagedHistory {
  private registrations: RegistrationSeed[] = [];
  private ledger: LedgerSeed[] = [];
  private events: EventSeed[] = [];
  private rowsStaged = 0;
  private readonly usedChannels = new Set<string>();

  private constructor(
    private readonly db: Db,
    private readonly workflowId: string,
    private readonly campaignId: string,
    private readonly start: HistoryStart,
    /** Channel ids by code: existing channels, or ids chosen now for channels created at the end. */
    private readonly channelIds: ReadonlyMap<string, string>,
    private readonly newChannels: ReadonlySet<string>,
  ) {}

  static async begin(db: Db, workflowId: string, start: HistoryStart): Promise<StagedHistory> {
    const others = await db.campaign.findMany({
      where: { workflowId: { startsWith: stagingPrefix(workflowId) }, status: IMPORTING_STATUS },
      select: { id: true, updatedAt: true },
    });
    for (const other of others) {
      if (Date.now() - other.updatedAt.getTime() < STAGING_STALE_AFTER_MS)
        throw new ImportConflictError(
          `${start.history.fileName} (sha256 ${start.history.fileSha256.slice(0, 12)}…) is being imported ` +
            `now (staging campaign ${other.id}, last progress ${other.updatedAt.toISOString()}); wait for it`,
          other.id,
        );
      await dropStaging(db, other.id);
    }
    const codes = start.channels.map((channel) => channel.code);
    const existing = await db.channel.findMany({
      where: { code: { in: codes } },
      select: { id: true, code: true },
    });
    const channelIds = new Map(existing.map((channel) => [channel.code, channel.id]));
    const newChannels = new Set<string>();
    for (const code of codes) {
      if (channelIds.has(code)) continue;
      channelIds.set(code, randomUUID());
      newChannels.add(code);
    }
    const campaignId = randomUUID();
    await db.campaign.create({
      data: {
        id: campaignId,
        name: `${start.history.fileName} (importing)`,
        status: IMPORTING_STATUS,
        plan: { importing: start.history } as unknown as Prisma.InputJsonValue,
        currency: start.currency,
        workflowId: `${stagingPrefix(workflowId)}${campaignId}`,
        origin: 'imported',
        createdBy: start.actor,
      },
    });
    return new StagedHistory(db, workflowId, campaignId, start, channelIds, newChannels);
  }

  private idOf(code: string): string {
    const id = this.channelIds.get(code);
    if (!id) throw new Error(`a row names channel ${code}, which the import does not declare`);
    this.usedChannels.add(code);
    return id;
  }

  add(seeds: HistoryRowSeeds): void | Promise<void> {
    this.registrations.push(seeds.registration);
    this.ledger.push(...seeds.ledger);
    this.events.push(...seeds.events);
    this.rowsStaged++;
    if (
      this.registrations.length >= BULK_CHUNK_ROWS ||
      this.ledger.length >= BULK_CHUNK_ROWS ||
      this.events.length >= BULK_CHUNK_ROWS
    )
      return this.flush();
  }

  /** Writes the buffered batch; each statement is its own short transaction. */
  async flush(): Promise<void> {
    const { campaignId, db } = this;
    const [registrations, ledger, events] = [this.registrations, this.ledger, this.events];
    this.registrations = [];
    this.ledger = [];
    this.events = [];
    // The live ingest's bulk writes skip rows already there; an import writes into a campaign of its
    // own, so every row must be new, and a shortfall (a duplicate in the file) aborts the import.
    const expectAll = (what: string, rows: readonly unknown[], written: number) => {
      if (written !== rows.length)
        throw new Error(`import wrote ${written} of ${rows.length} ${what}: the file repeats a key`);
    };
    expectAll(
      'registrations',
      registrations,
      await insertRegistrations(
        db,
        registrations.map(({ channelCode, ...registration }) => ({
          ...registration,
          id: randomUUID(),
          campaignId,
          channelId: this.idOf(channelCode),
          placementId: null,
          materialVersionId: null,
          deviceFingerprint: null,
          contactHash: null,
          flagReason: null,
        })),
      ),
    );
    expectAll(
      'ledger entries',
      ledger,
      await insertLedgerEntries(
        db,
        ledger.map(({ channelCode, ...entry }) => ({
          ...entry,
          campaignId,
          channelId: this.idOf(channelCode),
          currency: this.start.currency,
        })),
      ),
    );
    expectAll(
      'customer events',
      events,
      (
        await insertCustomerEvents(
          db,
          events.map((event) => ({
            ...event,
            campaignId,
            currency: event.amountMinor === null ? null : this.start.currency,
          })),
        )
      ).size,
    );
    // Progress, which also tells a concurrent import of the same file that this one is alive.
    await db.campaign.update({ where: { id: campaignId }, data: { updatedAt: new Date() } });
    await this.start.onProgress?.(this.rowsStaged);
  }

  /** Makes the staged import visible in one short transaction. */
  async finish(data: HistoryFinish): Promise<{ campaignId: string; alreadyImported: boolean }> {
    const { campaignId, db, start } = this;
    // The plan must be a valid plan; `history` rides along outside the schema (see evaluation/db-campaign.ts).
    const plan = { ...CampaignPlanSchema.parse(data.plan), history: data.history };
    const actor = start.actor;
    const used = start.channels.filter((channel) => this.usedChannels.has(channel.code));
    try {
      await db.$transaction(
        async (tx) => {
          await tx.channel.createMany({
            data: used
              .filter((channel) => this.newChannels.has(channel.code))
              .map((channel) => ({
                ...channel,
                id: this.channelIds.get(channel.code)!,
                onlineType: null,
                adapter: { type: 'simulator' },
              })),
            skipDuplicates: true,
          });
          const stored = await tx.channel.findMany({
            where: { code: { in: used.map((channel) => channel.code) } },
            select: { id: true, code: true },
          });
          for (const channel of stored) {
            // Another writer created the channel while this import ran: its rows name another id.
            if (channel.id !== this.channelIds.get(channel.code))
              throw new Error(
                `channel ${channel.code} was created elsewhere during the import; import again`,
              );
          }
          await tx.campaign.update({
            where: { id: campaignId, status: IMPORTING_STATUS },
            data: {
              name: data.name,
              status: 'completed',
              plan: plan as unknown as Prisma.InputJsonValue,
              workflowId: this.workflowId,
            },
          });
          await tx.campaignPlanVersion.create({
            data: {
              campaignId,
              version: 1,
              plan: plan as unknown as Prisma.InputJsonValue,
              changedBy: actor,
              reason: 'imported',
            },
          });
          await tx.campaignChannel.createMany({
            data: stored.map((channel) => ({ campaignId, channelId: channel.id })),
          });
          await tx.auditLog.create({
            data: {
              campaignId,
              actor,
              action: 'campaign.import',
              payload: {
                source: data.history.source,
                fileName: data.history.fileName,
                fileSha256: data.history.fileSha256,
                rowsImported: data.history.rowsImported,
                rowsSkipped: data.history.rowsSkipped,
              },
            },
          });
        },
        { timeout: FINISH_TIMEOUT_MS, maxWait: 30_000 },
      );
      return { campaignId, alreadyImported: false };
    } catch (err) {
      // Two imports of one file at once: the unique workflowId lets one win; the other finds its campaign.
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
      await this.discard();
      const winner = await earlierImport(db, this.workflowId, start.history);
      if (!winner) throw err;
      if (winner.rowsImported !== data.history.rowsImported) throw conflict(start.history, winner.id);
      return { campaignId: winner.id, alreadyImported: true };
    }
  }

  /** Drops what was staged; a failure here is left for the next import of the file to clean up. */
  async discard(): Promise<void> {
    this.registrations = [];
    this.ledger = [];
    this.events = [];
    await dropStaging(this.db, this.campaignId).catch(() => {});
  }
}
