// `npm run keys -- create --name NAME --role ROLE [--channels a,b] | list [--all] | revoke ID`:
// manages API keys directly in the database named by DATABASE_URL (see docs/api/auth.md). The key a
// `create` prints is shown once; only its hash is stored.
import os from 'node:os';
import { loadEnv } from '../config';
import { KEYS_USAGE, runKeysCommand } from '../api/auth/keys-command';
import { createDb } from '../db/client';

async function main(): Promise<number> {
  const env = loadEnv();
  if (!env.DATABASE_URL) {
    console.error('set DATABASE_URL to the database the API uses (see docs/api/auth.md)');
    console.error(KEYS_USAGE);
    return 2;
  }
  const db = createDb(env.DATABASE_URL, 1);
  try {
    return await runKeysCommand(db, process.argv.slice(2), `cli:${userName()}`, (line) => console.log(line));
  } finally {
    await db.$disconnect();
  }
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
