// `npm run demo:seed`: seeds the demo bank (docs/demo.md) into the database given by DATABASE_URL —
// the only way an external database ever gets the demo. Applies the migrations first; safe to run
// again (nothing is seeded twice) and after an interrupted run (it finishes the seed). Prints the demo
// users' API keys, which are also kept in DATA_DIR/demo-keys.json for `npm start` on that database.
import { dataDir, loadEnv } from '../config';
import { DEMO_USERS } from '../demo/bank';
import { prepareDemo } from '../demo/start';
import { migrateDeploy } from '../infra/migrate';

const say = (line: string) => console.log(`[demo:seed] ${line}`);

async function main(): Promise<number> {
  const env = loadEnv();
  if (!env.DATABASE_URL) {
    say('DATABASE_URL is required (npm start seeds its embedded database by itself)');
    return 2;
  }
  await migrateDeploy(env.DATABASE_URL, say);
  const demo = await prepareDemo({
    databaseUrl: env.DATABASE_URL,
    embedded: false,
    demo: env.DEMO,
    dataDir: dataDir(env),
    requested: true,
    log: say,
  });
  if (!demo.keys) return 1;
  for (const [user, key] of Object.entries(demo.keys)) {
    say(`${DEMO_USERS[user as keyof typeof DEMO_USERS].name.padEnd(28)} ${key}`);
  }
  say(`keys kept in ${demo.keyFile}; \`DATABASE_URL=… npm start\` now runs the demo on this database`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
