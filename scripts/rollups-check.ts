// `npm run rollups:check -- (--campaign ID | --all) [--repair]`: the evaluation rollups of the database
// named by DATABASE_URL against a recomputation from the facts (evaluation/rollups-command.ts).
import { loadEnv } from '../config';
import { createDb } from '../db/client';
import { ROLLUPS_USAGE, runRollupsCommand } from '../evaluation/rollups-command';

async function main(): Promise<number> {
  const env = loadEnv();
  if (!env.DATABASE_URL) {
    console.error('set DATABASE_URL to the database the API uses');
    console.error(ROLLUPS_USAGE);
    return 2;
  }
  const db = createDb(env.DATABASE_URL, 2);
  try {
    return await runRollupsCommand(db, process.argv.slice(2), (line) => console.log(line));
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
