// What `npm start` does for the demo (scripts/start.ts calls these; docs/demo.md): decide whether to
// seed and run the demo on this database, seed it, and make sure the demo users' keys exist — before
// the API starts, because the API is told the demo marketer's key for the console's demo session.
import path from 'node:path';
import { createDb } from '../db/client';
import { DEMO_USERS } from './bank';
import { sharedDataDir } from './history';
import { ensureDemoKeys, type DemoKeys } from './keys';
import { seedDemoBank } from './seed';
import { decideDemo, demoSeedState, holdsUserData } from './seed-state';

export interface PreparedDemo {
  run: boolean;
  keys: DemoKeys | null;
  keyFile: string;
}

export const demoKeyFile = (dataDir: string) => path.join(dataDir, 'demo-keys.json');

export async function prepareDemo(opts: {
  databaseUrl: string;
  embedded: boolean;
  demo: 'on' | 'off';
  dataDir: string;
  /** npm run demo:seed: seed even an external database. */
  requested?: boolean;
  /** Where the history files are read from (default: the shared data folder). */
  historyDir?: string;
  log: (line: string) => void;
}): Promise<PreparedDemo> {
  const keyFile = demoKeyFile(opts.dataDir);
  const db = createDb(opts.databaseUrl, 2);
  try {
    const decision = decideDemo({
      demo: opts.demo,
      embedded: opts.embedded,
      requested: opts.requested ?? false,
      state: await demoSeedState(db),
      holdsUserData: await holdsUserData(db),
    });
    opts.log(`demo: ${decision.reason}${decision.run ? '' : ' (the system starts empty)'}`);
    if (decision.seed) {
      const summary = await seedDemoBank(db, {
        historyDir: opts.historyDir ?? sharedDataDir(),
        log: (l) => opts.log(`demo: ${l}`),
      });
      opts.log(`demo: seeded in ${(summary.ms / 1000).toFixed(1)} s`);
    }
    if (!decision.run) return { run: false, keys: null, keyFile };
    const { keys, created } = await ensureDemoKeys(db, keyFile);
    if (created.length > 0) {
      opts.log(`demo: API keys for ${created.map((u) => DEMO_USERS[u].name).join(', ')} kept in ${keyFile}`);
    }
    return { run: true, keys, keyFile };
  } finally {
    await db.$disconnect();
  }
}

/** What `npm start` prints in demo mode: what the demo shows and where to look. */
export function demoBanner(apiUrl: string, temporalUiUrl: string | null, keys: DemoKeys): string[] {
  return [
    '─'.repeat(60),
    'DEMO MODE (DEMO=off starts empty; docs/demo.md): the demo bank is seeded and a demo campaign runs',
    'on compressed time — registrations within a minute or two, messages and activations, then its',
    'evaluation (AAC / CAC / LROI and the lift against the control group) about 7–8 minutes in; then the next.',
    `  Console          ${apiUrl}/console/   (opens signed in as ${DEMO_USERS.marketer.name})`,
    `  demo marketer key ${keys.marketer}`,
    `  Temporal Web UI  ${temporalUiUrl ?? '(external server)'}   workflows campaign-<id> and their cohorts`,
  ];
}
