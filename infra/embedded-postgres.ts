// The zero-setup database: PGlite (PostgreSQL compiled to WASM) persisted under the data folder and
// served on 127.0.0.1 with the PostgreSQL wire protocol, so the API, the worker and Prisma's
// migrations connect to it exactly as they would to a real PostgreSQL server.
// PGlite is a single backend: pglite-socket multiplexes connections query by query. That is fine for
// a demo and development; production and the test suite use a real PostgreSQL (DATABASE_URL).
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface RunningEmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
}): Promise<RunningEmbeddedPostgres> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: opts.dataDir });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: opts.port, maxConnections: 32 });
  keepExtendedQueriesTogether(server);
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${opts.port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** pglite-socket 0.2's internal query queue (not exported; the shape read from its dist, version pinned). */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(err: unknown): void;
  onData(data: Uint8Array): void;
}
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Frontend messages of the extended query protocol that a Sync ('S') closes: Parse, Bind, Describe, Execute, Close, Flush. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));

/**
 * pglite-socket runs the connections' messages one at a time on the single backend and keeps a
 * connection's messages together only inside a transaction. Outside one, node-postgres' extended
 * query (Parse, Bind, Execute, Sync) from one connection could interleave with another's: under load
 * (the demo's traffic) one connection's Bind found another's unnamed statement — "unnamed prepared
 * statement does not exist", or a query answered with another query's rows. This queue also keeps a
 * connection's messages together from its first extended-protocol message to its Sync, and — unlike
 * the original — keeps serving the queue after a message fails.
 */
function keepExtendedQueriesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let midSequence: number | null = null;
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (midSequence === handlerId) midSequence = null;
    void queue.processQueue();
  };
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner =
          this.db.isInTransaction() && this.lastHandlerId !== null ? this.lastHandlerId : midSequence;
        let item: QueuedMessage | undefined;
        if (owner === null) item = this.queue.shift();
        else {
          const index = this.queue.findIndex((queued) => queued.handlerId === owner);
          // The owner's next message is not here yet: it is enqueued when the previous one is answered.
          item = index === -1 ? undefined : this.queue.splice(index, 1)[0];
        }
        if (!item) break;
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (err) {
          midSequence = null;
          current.reject(err);
          continue;
        }
        midSequence = EXTENDED.has(current.message[0] ?? 0) ? current.handlerId : null;
        this.lastHandlerId = current.handlerId;
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
}
