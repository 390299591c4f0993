// Benchmark (not a test): a history import of a 10,000,000-row bank-marketing file in flat memory.
// Generates the file in a temporary directory (streamed, never held in memory), imports it with
// importBankMarketing into a scratch database of its own on the local PostgreSQL (created, migrated and
// dropped here; BENCH_PG_ADMIN_URL, default the local server), samples the process's RSS every 250 ms,
// and prints rows/s and peak RSS at 1M rows staged and at the end — flat memory means the two peaks are
// within ~10% — then one `BENCH {…}` line. Deletes the file afterwards.
//   npm run bench:import [-- --rows N]      (default 10,000,000; ~1.2 GB of disk for the file)
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb } from '../../db/client';
import { migrateDeploy } from '../../infra/migrate';
import { BANK_COLUMNS, importBankMarketing } from '../../importers/bank-marketing';

const BULK_EVERY = 50_000;
const log = (line: string) => process.stdout.write(`${line}\n`);
const MB = 1024 * 1024;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} needs a positive whole number`);
  return value;
}

const JOBS = ['admin.', 'management', 'blue-collar', 'technician', 'services', 'retired', 'student'];
const MARITAL = ['married', 'single', 'divorced'];
const EDUCATION = ['secondary', 'tertiary', 'primary', 'unknown'];
const CONTACTS = ['cellular', 'telephone', 'unknown'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Writes a bank-full.csv-shaped file of `rows` clients in date order over three years (the importer
 * derives the year from the month going backwards), values drawn from a fixed-seed generator.
 */
async function generate(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let seed = 42;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const pick = <T>(values: readonly T[]) => values[next(values.length)] as T;
  const q = (text: string) => `"${text}"`;
  out.write(`${BANK_COLUMNS.map(q).join(';')}\n`);
  const days = 3 * 365;
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    // Day of the 3-year span for row i, as (month, day) of a non-leap calendar starting in May.
    let dayOfSpan = Math.floor((i * days) / rows) % 365;
    let month = 4;
    while (dayOfSpan >= (DAYS_IN_MONTH[month] as number)) {
      dayOfSpan -= DAYS_IN_MONTH[month] as number;
      month = (month + 1) % 12;
    }
    buffer +=
      [
        18 + next(70),
        q(pick(JOBS)),
        q(pick(MARITAL)),
        q(pick(EDUCATION)),
        q(next(50) === 0 ? 'yes' : 'no'),
        next(20_000) - 2_000,
        q(next(2) === 0 ? 'yes' : 'no'),
        q(next(5) === 0 ? 'yes' : 'no'),
        q(pick(CONTACTS)),
        dayOfSpan + 1,
        q(MONTHS[month] as string),
        next(2_000),
        1 + next(6),
        next(4) === 0 ? next(400) : -1,
        next(3),
        q('unknown'),
        q(next(9) === 0 ? 'yes' : 'no'),
      ].join(';') + '\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

async function vmHwmMb(): Promise<number | null> {
  try {
    const status = await readFile('/proc/self/status', 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const rows = option('--rows', 10_000_000);
  const mark = Math.min(1_000_000, rows);
  const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `bench_import_${Date.now()}_${process.pid}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-import-'));
  const file = path.join(dir, 'bank-bench.csv');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const cleanUp = async () => {
    await rm(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  // Stopped early (Ctrl-C, kill): still delete the file and the scratch database.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      log(`stopped by ${signal}; cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  try {
    let started = Date.now();
    await generate(file, rows);
    log(
      `generated ${rows.toLocaleString('en')} rows (${((await stat(file)).size / MB).toFixed(0)} MB) in ${Date.now() - started} ms`,
    );
    await migrateDeploy(url.toString(), () => {});
    const db = createDb(url.toString(), 2);

    // Peak RSS sampled every 250 ms, and the peak up to the moment 1M rows were staged.
    let peak = process.memoryUsage().rss;
    let peakAtMark: number | null = null;
    let msAtMark: number | null = null;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
    log(`RSS before the import: ${(process.memoryUsage().rss / MB).toFixed(1)} MB`);
    started = Date.now();
    let lastLog = 0;
    try {
      const summary = await importBankMarketing(db, file, {
        fileName: 'bank-bench.csv',
        onProgress: (staged) => {
          peak = Math.max(peak, process.memoryUsage().rss);
          if (peakAtMark === null && staged >= mark) {
            peakAtMark = peak;
            msAtMark = Date.now() - started;
            log(
              `  ${staged.toLocaleString('en')} rows staged: ${(staged / (msAtMark / 1000)).toFixed(0)} rows/s, peak RSS ${(peak / MB).toFixed(1)} MB`,
            );
          }
          if (staged - lastLog >= Math.max(BULK_EVERY, rows / 10)) {
            lastLog = staged;
            const seconds = (Date.now() - started) / 1000;
            const { rss, heapUsed } = process.memoryUsage();
            log(
              `  ${staged.toLocaleString('en')} rows staged at ${seconds.toFixed(0)} s ` +
                `(${Math.round(staged / seconds)} rows/s), RSS ${(rss / MB).toFixed(1)} MB, ` +
                `heap ${(heapUsed / MB).toFixed(1)} MB, peak RSS so far ${(peak / MB).toFixed(1)} MB`,
            );
          }
        },
      });
      const ms = Date.now() - started;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      const imported = summary.validation.rowsValid;
      if (imported !== rows) throw new Error(`imported ${imported} of ${rows} rows`);
      const rowsPerSecond = Math.round(rows / (ms / 1000));
      const peakRssMb = Number((peak / MB).toFixed(1));
      const peakRssMbAt1M = Number(((peakAtMark ?? peak) / MB).toFixed(1));
      log(
        `imported ${rows.toLocaleString('en')} rows in ${ms} ms (hash pass + import): ${rowsPerSecond} rows/s`,
      );
      log(
        `peak RSS: ${peakRssMbAt1M} MB at ${mark.toLocaleString('en')} rows, ${peakRssMb} MB at the end (VmHWM ${(await vmHwmMb())?.toFixed(1)} MB)`,
      );
      log(
        `BENCH ${JSON.stringify({
          bench: 'import',
          rows,
          rowsPerSecond,
          peakRssMb,
          peakRssMbAt1M,
          msAt1M: msAtMark,
          ms,
        })}`,
      );
    } finally {
      clearInterval(sampler);
      await db.$disconnect();
    }
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
