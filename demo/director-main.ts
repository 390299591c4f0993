// The demo director's process, started by `npm start` in demo mode (docs/demo.md) with DATABASE_URL,
// SIMULATOR_URL, the API's address and DEMO_KEY_FILE set. Ctrl-C / SIGTERM stop its traffic first.
import { loadEnv } from '../config';
import { createDb } from '../db/client';
import { startDirector } from './director';
import { ensureDemoKeys } from './keys';
import { demoTraffic } from './traffic';

const say = (line: string) => console.log(`[demo] ${line}`);

/** An API listening on every interface is reached over loopback (the generator refuses anything else). */
const loopbackFor = (host: string) => (['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host);

async function main(): Promise<void> {
  const env = loadEnv();
  const keyFile = process.env.DEMO_KEY_FILE;
  if (!env.DATABASE_URL || !env.SIMULATOR_URL || !keyFile) {
    throw new Error(
      'the demo director needs DATABASE_URL, SIMULATOR_URL and DEMO_KEY_FILE (npm start sets them)',
    );
  }
  const db = createDb(env.DATABASE_URL, 2);
  const { keys } = await ensureDemoKeys(db, keyFile);
  const director = startDirector({
    db,
    apiUrl: `http://${loopbackFor(env.API_HOST)}:${env.API_PORT}`,
    simulatorUrl: env.SIMULATOR_URL,
    keys,
    traffic: demoTraffic,
    log: say,
  });
  const shutdown = () => {
    void director
      .stop()
      .then(() => db.$disconnect())
      .finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  say(`failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
