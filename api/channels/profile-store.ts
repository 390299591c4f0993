// Channel profiles are facts with a source and an as-of time, appended as versions 1, 2, 3… per
// channel and never changed (one version: profiles/profile-versions.ts). Here: a partner's batch
// import, the latest version and the history. Versions are max+1 read inside the transaction; the
// unique (channelId, version) index turns a concurrent writer's duplicate into a retry.
import type { Db } from '../../db/client';
import type { Channel, ChannelProfile } from '../../generated/prisma/client';
import { fieldErrors, validationProblem, type FieldError } from '../problem';
import { ImportItemSchema, type ImportItem } from './profile-schemas';
import { retryOnUniqueViolation } from '../../db/unique-violation';

export interface ImportedProfile {
  channelCode: string;
  profile: ChannelProfile;
}

/**
 * Validates every item (shape, traits, known channel) before writing anything, so a partner gets the
 * full list of what to fix; then writes all items in one transaction. Items for the same channel get
 * consecutive versions in the order they were sent.
 */
export async function importProfiles(db: Db, rawItems: unknown[], actor: string): Promise<ImportedProfile[]> {
  const errors: FieldError[] = [];
  const items: { index: number; item: ImportItem }[] = [];
  rawItems.forEach((raw, index) => {
    const parsed = ImportItemSchema.safeParse(raw);
    if (parsed.success) items.push({ index, item: parsed.data });
    else errors.push(...fieldErrors(parsed.error, `items.${index}`));
  });

  const codes = [...new Set(items.map(({ item }) => item.channelCode))];
  const channels = await db.channel.findMany({ where: { code: { in: codes } } });
  const byCode = new Map(channels.map((channel) => [channel.code, channel]));
  for (const { index, item } of items) {
    if (!byCode.has(item.channelCode)) {
      errors.push({ field: `items.${index}.channelCode`, message: `unknown channel "${item.channelCode}"` });
    }
  }
  if (errors.length > 0) {
    errors.sort((a, b) => fieldOrder(a.field) - fieldOrder(b.field));
    throw validationProblem(errors, 'Import refused: nothing was written');
  }

  return retryOnUniqueViolation(() =>
    db.$transaction(async (tx) => {
      const latest = await tx.channelProfile.groupBy({
        by: ['channelId'],
        where: { channelId: { in: channels.map((channel) => channel.id) } },
        _max: { version: true },
      });
      const nextVersion = new Map(latest.map((row) => [row.channelId, (row._max.version ?? 0) + 1]));
      const data = items.map(({ item }) => {
        const channel = byCode.get(item.channelCode)!;
        const version = nextVersion.get(channel.id) ?? 1;
        nextVersion.set(channel.id, version + 1);
        return {
          channelId: channel.id,
          version,
          source: 'external' as const,
          asOf: new Date(item.asOf),
          traits: item.traits,
          basis: item.basis,
        };
      });
      // One statement for up to 500 rows; rows come back matched by (channel, version), not by order.
      const created = await tx.channelProfile.createManyAndReturn({ data });
      const byKey = new Map(created.map((profile) => [`${profile.channelId}:${profile.version}`, profile]));
      const imported = data.map((row, i) => ({
        channelCode: items[i]!.item.channelCode,
        profile: byKey.get(`${row.channelId}:${row.version}`)!,
      }));
      await tx.auditLog.create({
        data: {
          actor,
          action: 'channel_profile.import',
          payload: { count: imported.length, channels: codes },
        },
      });
      return imported;
    }),
  );
}

/** Sorts "items.<i>.…" errors by item index, so the reply reads in the order of the request. */
function fieldOrder(field: string): number {
  return Number(/^items\.(\d+)/.exec(field)?.[1] ?? -1);
}

export async function latestProfile(db: Db, channel: Channel): Promise<ChannelProfile | null> {
  return db.channelProfile.findFirst({ where: { channelId: channel.id }, orderBy: { version: 'desc' } });
}

/** One page of a channel's profile history, newest version first. */
export async function profileHistory(
  db: Db,
  channel: Channel,
  limit: number,
  beforeVersion: number | null,
): Promise<{ items: ChannelProfile[]; nextBeforeVersion: number | null }> {
  const rows = await db.channelProfile.findMany({
    where: { channelId: channel.id, ...(beforeVersion !== null ? { version: { lt: beforeVersion } } : {}) },
    orderBy: { version: 'desc' },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextBeforeVersion: rows.length > limit && last ? last.version : null };
}
