// Runs the channel simulator as its own process (`npm run simulator`). Port from SIMULATOR_PORT, then
// PORT, default 4100; host from SIMULATOR_HOST (default 127.0.0.1; use 0.0.0.0 in a container);
// SIMULATOR_SEED seeds rate-based faults. Logs one JSON line per request to stdout.
import { DEFAULT_SIMULATOR_SEED, startSimulator } from './server';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const port = intFromEnv('SIMULATOR_PORT', intFromEnv('PORT', 4100));
  const host = process.env.SIMULATOR_HOST || '127.0.0.1';
  const seed = intFromEnv('SIMULATOR_SEED', DEFAULT_SIMULATOR_SEED);
  const write = (entry: object) => process.stdout.write(`${JSON.stringify(entry)}\n`);
  const simulator = await startSimulator({
    port,
    host,
    seed,
    log: (entry) => write({ msg: 'request', ...entry }),
  });
  write({ time: new Date().toISOString(), msg: 'channel simulator listening', url: simulator.url, seed });

  const stop = (signal: string) => {
    write({ time: new Date().toISOString(), msg: 'channel simulator stopping', signal });
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ msg: 'channel simulator failed to start', error: String(error) })}\n`,
  );
  process.exit(1);
});
