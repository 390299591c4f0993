// GET /campaigns/:id/audit: the campaign's audit log (who created, paused, resumed, cancelled, changed
// the material, …, and when), newest first, cursor-paginated over (at, id) like every other list.
import type { Db } from '../../db/client';
import { decodeCursor, encodeCursor } from '../pagination';

export async function auditPage(
  db: Db,
  campaignId: string,
  q: { limit: number; cursor?: string; action?: string },
) {
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
