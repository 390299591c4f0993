// Found by `npm run chaos`: when a request failed because PostgreSQL was restarting, releasing its
// Idempotency-Key failed too (same database), and the key stayed "in progress" for ever — every retry of
// the identical batch was answered 409. The release is now retried until the database is back.
import express from 'express';
import request from 'supertest';
import type { Db } from '../../../db/client';
import { idempotent } from '../../../api/handler';

function fakeDb(deleteFailures: number) {
  const deletes: number[] = [];
  let failures = deleteFailures;
  const db = {
    idempotencyRecord: {
      createMany: async () => ({ count: 1 }),
      deleteMany: async () => {
        deletes.push(Date.now());
        if (failures-- > 0) throw new Error('Client has encountered a connection error');
        return { count: 1 };
      },
      findUnique: async () => null,
      update: async () => ({}),
      updateMany: async () => ({ count: 0 }),
    },
  };
  return { db: db as unknown as Db, deletes };
}

const waitFor = async (check: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
};

describe('idempotent(): a failed request releases its key', () => {
  it('retries the release while the database refuses it, until it succeeds', async () => {
    const { db, deletes } = fakeDb(2);
    const app = express();
    app.use(express.json());
    app.post(
      '/batch',
      idempotent(db, 'test', async () => {
        throw new Error('PostgreSQL does not answer');
      }),
    );
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(503).json({ title: 'Service Unavailable' });
    });

    const res = await request(app).post('/batch').set('Idempotency-Key', 'k-1').send({ items: [] });

    expect(res.status).toBe(503);
    await waitFor(() => deletes.length >= 3, 10_000);
    expect(deletes).toHaveLength(3);
  });
});
