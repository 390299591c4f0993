// What every benchmark sets up for itself: a scratch database on the local PostgreSQL (created, migrated
// and dropped afterwards), free ports, and the peak memory of the processes it measures.
import fs from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { migrateDeploy } from '../../infra/migrate';

/** The server the scratch databases are created on; any database of it to connect to first. */
export const BENCH_PG_ADMIN_URL =
  process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops the database (connections still open are closed by PostgreSQL: WITH (FORCE)). */
  drop(): Promise<void>;
}

/** Creates and migrates a fresh database named `<prefix>_<time>` on BENCH_PG_ADMIN_URL's server. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: BENCH_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(BENCH_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  await migrateDeploy(url.toString(), () => undefined);
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: BENCH_PG_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** Peak resident memory (VmHWM) of a live process, in MB. */
export function peakMemoryMb(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Resident memory now (VmRSS) of a live process, in MB. */
export function residentMemoryMb(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}
