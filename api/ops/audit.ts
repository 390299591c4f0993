// GET /campaigns/:id/audit: the campaign's audit log (who created, paused, resumed, cancelled, changed
// the material, …, and when), newest first, cursor-paginated over (at, id) like every other list.
// Its reply schema is declared here and types the builder; the OpenAPI document imports it.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { pageOf, Timestamp } from '../openapi/common';
import { decodeCursor, encodeCursor } from '../pagination';
import { AuditEntryId } from './timeline-schemas';

/** The reply of GET /campaigns/:id/audit. */
export const AuditPageSchema = pageOf(
  z.object({
    id: AuditEntryId,
    actor: z.string(),
    action: z.string(),
    at: Timestamp,
    payload: z.unknown().meta({ description: "The action's own facts (a reason, the fields changed, …)" }),
  }),
);
export type AuditPage = z.infer<typeof AuditPageSchema>;

export async function auditPage(
  db: Db,
  campaignId: string,
  q: { limit: number; cursor?: string; action?: string },
): Promise<AuditPage> {
  const cursor = decodeCursor(q.cursor);
  const at = cursor ? new Date(cursor.createdAt) : null;
  const rows = await db.auditLog.findMany({
    where: {
      campaignId,
      ...(q.action ? { action: q.action } : {}),
      ...(at && cursor ? { OR: [{ at: { lt: at } }, { at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((row) => ({
      id: row.id,
      actor: row.actor,
      action: row.action,
      at: row.at.toISOString(),
      payload: row.payload,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ createdAt: last.at, id: last.id }) : null,
  };
}
