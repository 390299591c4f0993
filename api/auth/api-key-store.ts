// Creating, listing and revoking API keys, each change with an audit-log entry. Shared by the
// /api-keys endpoints and the `npm run keys` command. The plain key leaves this module exactly once,
// in the result of createApiKey; rows and audit entries never hold it (nor its hash, in the audit log).
import type { Db } from '../../db/client';
import type { ApiKey } from '../../generated/prisma/client';
import { isUniqueViolation } from '../../db/unique-violation';
import { afterCursor, type Cursor } from '../pagination';
import { notFound, validationProblem } from '../problem';
import { generateApiKey } from './api-key-format';
import type { CreateApiKeyRequest } from './api-key-schemas';
import type { Role } from './principal';

/** What may be shown about a key: everything but its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  role: string;
  channelIds: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

export function apiKeyView(row: ApiKey): ApiKeyView {
  const { id, name, prefix, role, channelIds, createdAt, revokedAt } = row;
  return { id, name, prefix, role, channelIds, createdAt, revokedAt };
}

export async function createApiKey(
  db: Db,
  request: CreateApiKeyRequest,
  actor: string,
): Promise<{ key: string; apiKey: ApiKeyView }> {
  await assertChannelsExist(db, request.channelIds);
  // Eight random characters rarely collide (36^8 prefixes); when they do, the unique index says so.
  for (let attempt = 1; ; attempt++) {
    const generated = generateApiKey();
    try {
      const row = await db.$transaction(async (tx) => {
        const created = await tx.apiKey.create({
          data: {
            name: request.name,
            role: request.role,
            channelIds: request.channelIds,
            prefix: generated.prefix,
            hash: generated.hash,
          },
        });
        await tx.auditLog.create({
          data: { actor, action: 'api-key.create', payload: auditPayload(created) },
        });
        return created;
      });
      return { key: generated.key, apiKey: apiKeyView(row) };
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 3) throw err;
    }
  }
}

/** Revoking is final and idempotent: a revoked key stays revoked, with its first revocation time. */
export async function revokeApiKey(db: Db, id: string, actor: string): Promise<ApiKeyView> {
  return db.$transaction(async (tx) => {
    const row = await tx.apiKey.findUnique({ where: { id } });
    if (!row) throw notFound('API key', id);
    if (row.revokedAt) return apiKeyView(row);
    const revoked = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await tx.auditLog.create({ data: { actor, action: 'api-key.revoke', payload: auditPayload(revoked) } });
    return apiKeyView(revoked);
  });
}

export async function listApiKeys(
  db: Db,
  q: { limit: number; cursor: Cursor | null; role?: Role; activeOnly: boolean },
): Promise<ApiKeyView[]> {
  const rows = await db.apiKey.findMany({
    where: {
      ...afterCursor(q.cursor),
      ...(q.role ? { role: q.role } : {}),
      ...(q.activeOnly ? { revokedAt: null } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  return rows.map(apiKeyView);
}

export async function hasActiveAdminKey(db: Db): Promise<boolean> {
  return (await db.apiKey.count({ where: { role: 'admin', revokedAt: null } })) > 0;
}

function auditPayload(row: ApiKey) {
  return { keyId: row.id, name: row.name, prefix: row.prefix, role: row.role, channelIds: row.channelIds };
}

/** A typo in a channel code would make every ingest of the key fail with 403: refuse it up front. */
async function assertChannelsExist(db: Db, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  const found = await db.channel.findMany({ where: { code: { in: codes } }, select: { code: true } });
  const known = new Set(found.map((c) => c.code));
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw validationProblem(
      unknown.map((code) => ({ field: 'channelIds', message: `channel "${code}" is not registered` })),
    );
  }
}
