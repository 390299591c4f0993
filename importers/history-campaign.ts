// Writes one imported campaign (origin 'imported', status 'completed') with its channels, registrations,
// ledger entries and customer events in ONE transaction, in bulk chunks (db/bulk-insert.ts): either the whole
// file is in the database or nothing is. The campaign's workflowId is derived from the file's sha256, so importing
// the same file again finds the first import instead of doubling the history (which would double-count
// every channel profile and comparison built on it).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { CampaignPlanSchema, type CampaignPlanInput } from '../domain/campaign-plan';
import type { ChannelKind } from '../domain/channel';
import type { HistoryMeta } from '../evaluation/db-campaign';
import { canonicalJson } from '../evaluation/db-digest';
import { Prisma } from '../generated/prisma/client';
import { inChunks, insertCustomerEvents, insertLedgerEntries, insertRegistrations } from '../db/bulk-insert';

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

export interface HistoryImport {
  readonly name: string;
  readonly currency: string;
  readonly plan: CampaignPlanInput;
  readonly history: HistoryMeta;
  readonly channels: readonly ChannelSeed[];
  readonly registrations: readonly RegistrationSeed[];
  readonly ledger: readonly LedgerSeed[];
  readonly events: readonly EventSeed[];
}

/** The same file was imported before with different parameters (or rows): refuse rather than guess. */
export class ImportConflictError extends Error {
  constructor(
    message: string,
    readonly campaignId: string,
  ) {
    super(message);
  }
}

// Writing 100,000 rows takes seconds; Prisma's 5 s default for interactive transactions is too short.
const TRANSACTION_TIMEOUT_MS = 10 * 60_000;

export function historyWorkflowId(history: Pick<HistoryMeta, 'source' | 'fileSha256'>): string {
  return `history-${history.source}-${history.fileSha256.slice(0, 32)}`;
}

function sameImport(stored: unknown, history: HistoryMeta): boolean {
  const previous = (stored as { history?: HistoryMeta } | null)?.history;
  return (
    previous !== undefined &&
    // jsonb reorders object keys, so compare canonical forms.
    canonicalJson(previous.parameters) === canonicalJson(history.parameters) &&
    previous.rowsImported === history.rowsImported
  );
}

/** The campaign already stored for this file: the same import (returned) or a conflicting one (refused). */
async function earlierImport(db: Db, workflowId: string, data: HistoryImport): Promise<string | null> {
  const existing = await db.campaign.findUnique({ where: { workflowId }, select: { id: true, plan: true } });
  if (!existing) return null;
  if (sameImport(existing.plan, data.history)) return existing.id;
  throw new ImportConflictError(
    `${data.history.fileName} (sha256 ${data.history.fileSha256.slice(0, 12)}…) was already imported as campaign ` +
      `${existing.id} with other parameters or rows; importing it again would count its customers twice`,
    existing.id,
  );
}

export async function writeHistory(
  db: Db,
  data: HistoryImport,
  actor: string,
): Promise<{ campaignId: string; alreadyImported: boolean }> {
  const workflowId = historyWorkflowId(data.history);
  const earlier = await earlierImport(db, workflowId, data);
  if (earlier) return { campaignId: earlier, alreadyImported: true };
  try {
    return { campaignId: await writeCampaign(db, workflowId, data, actor), alreadyImported: false };
  } catch (err) {
    // Two imports of one file at once: the unique workflowId lets one win; the other finds its campaign.
    if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
    const winner = await earlierImport(db, workflowId, data);
    if (!winner) throw err;
    return { campaignId: winner, alreadyImported: true };
  }
}

async function writeCampaign(
  db: Db,
  workflowId: string,
  data: HistoryImport,
  actor: string,
): Promise<string> {
  // The plan must be a valid plan; `history` rides along outside the schema (see evaluation/db-campaign.ts).
  const plan = { ...CampaignPlanSchema.parse(data.plan), history: data.history };
  const campaignId = randomUUID();

  await db.$transaction(
    async (tx) => {
      await tx.channel.createMany({
        data: data.channels.map((channel) => ({
          ...channel,
          onlineType: null,
          adapter: { type: 'simulator' },
        })),
        skipDuplicates: true,
      });
      const channels = await tx.channel.findMany({
        where: { code: { in: data.channels.map((channel) => channel.code) } },
        select: { id: true, code: true },
      });
      const channelId = new Map(channels.map((channel) => [channel.code, channel.id]));
      const idOf = (code: string) => {
        const id = channelId.get(code);
        if (!id) throw new Error(`channel ${code} was not created`);
        return id;
      };

      await tx.campaign.create({
        data: {
          id: campaignId,
          name: data.name,
          status: 'completed',
          plan: plan as unknown as Prisma.InputJsonValue,
          currency: data.currency,
          workflowId,
          origin: 'imported',
          createdBy: actor,
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
        data: channels.map((channel) => ({ campaignId, channelId: channel.id })),
      });
      // The live ingest's bulk writes skip rows already there; an import writes into a campaign of its
      // own, so every row must be new, and a shortfall (a duplicate in the file) aborts the import.
      const expectAll = (what: string, rows: readonly unknown[], written: number) => {
        if (written !== rows.length)
          throw new Error(`import wrote ${written} of ${rows.length} ${what}: the file repeats a key`);
      };
      expectAll(
        'registrations',
        data.registrations,
        await inChunks(data.registrations, (chunk) =>
          insertRegistrations(
            tx,
            chunk.map(({ channelCode, ...registration }) => ({
              ...registration,
              id: randomUUID(),
              campaignId,
              channelId: idOf(channelCode),
              placementId: null,
              materialVersionId: null,
              deviceFingerprint: null,
              contactHash: null,
              flagReason: null,
            })),
          ),
        ),
      );
      expectAll(
        'ledger entries',
        data.ledger,
        await inChunks(data.ledger, (chunk) =>
          insertLedgerEntries(
            tx,
            chunk.map(({ channelCode, ...entry }) => ({
              ...entry,
              campaignId,
              channelId: idOf(channelCode),
              currency: data.currency,
            })),
          ),
        ),
      );
      expectAll(
        'customer events',
        data.events,
        await inChunks(data.events, async (chunk) => {
          const inserted = await insertCustomerEvents(
            tx,
            chunk.map((event) => ({
              ...event,
              campaignId,
              currency: event.amountMinor === null ? null : data.currency,
            })),
          );
          return inserted.size;
        }),
      );
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
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 30_000 },
  );
  return campaignId;
}
