// The first admin key `npm start` prints: created only while no admin key is active, stored as a hash.
import { keyMatchesHash } from '../../../api/auth/api-key-format';
import { bootstrapAdminKey } from '../../../api/auth/bootstrap';
import type { Db } from '../../../db/client';

/** Just enough of the database for the key store: api keys, audit log, a transaction. */
function fakeDb(activeAdmins: number) {
  const rows: Record<string, unknown>[] = [];
  const audit: Record<string, unknown>[] = [];
  const db = {
    apiKey: {
      count: async ({ where }: { where: object }) => {
        expect(where).toEqual({ role: 'admin', revokedAt: null });
        return activeAdmins;
      },
      create: async ({ data }: { data: Record<string, unknown> }) => {
        const row = { id: `key-${rows.length + 1}`, createdAt: new Date(), revokedAt: null, ...data };
        rows.push(row);
        return row;
      },
    },
    auditLog: { create: async ({ data }: { data: Record<string, unknown> }) => void audit.push(data) },
    channel: { findMany: async () => [] },
    $transaction: async (fn: (tx: unknown) => unknown) => fn(db),
  };
  return { db: db as unknown as Db, rows, audit };
}

describe('bootstrapAdminKey', () => {
  it('creates an admin key when none is active, and keeps only its hash', async () => {
    const { db, rows, audit } = fakeDb(0);
    const key = await bootstrapAdminKey(db, 'npm start');
    expect(key).toMatch(/^ck_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ role: 'admin', name: 'bootstrap-admin', channelIds: [] });
    expect(keyMatchesHash(key as string, rows[0]?.hash as string)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain((key as string).slice(12));
    expect(audit).toEqual([expect.objectContaining({ actor: 'npm start', action: 'api-key.create' })]);
  });

  it('creates nothing when an admin key is active (a restart prints no key)', async () => {
    const { db, rows } = fakeDb(1);
    expect(await bootstrapAdminKey(db, 'npm start')).toBeNull();
    expect(rows).toEqual([]);
  });
});
