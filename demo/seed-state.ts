// Whether a database holds the demo bank, and whether npm start should seed or run the demo on it.
// The seed's start and completion are audit-log entries (who: demo-seed): a database whose seed began
// but never completed is resumed, one whose seed completed is never seeded again.
import type { Db } from '../db/client';
import { DEMO_SEED_ACTOR } from './bank';
import { VISIBLE_CAMPAIGN } from '../db/visible-campaigns';

export type DemoSeedState = 'none' | 'started' | 'completed';

const ACTION = { started: 'demo.seed.started', completed: 'demo.seed.completed' } as const;

/** Records the seed's start or completion once (a resumed seed does not record its start again). */
export async function markSeed(db: Db, what: keyof typeof ACTION): Promise<void> {
  const found = await db.auditLog.findFirst({ where: { action: ACTION[what] }, select: { id: true } });
  if (found) return;
  await db.auditLog.create({ data: { actor: DEMO_SEED_ACTOR, action: ACTION[what], payload: {} } });
}

export async function demoSeedState(db: Db): Promise<DemoSeedState> {
  const marks = await db.auditLog.findMany({
    where: { action: { in: [ACTION.started, ACTION.completed] } },
    select: { action: true },
  });
  if (marks.some((m) => m.action === ACTION.completed)) return 'completed';
  return marks.length > 0 ? 'started' : 'none';
}

/** Anything a user made: then an embedded database is theirs, and the demo stays out of it. */
export async function holdsUserData(db: Db): Promise<boolean> {
  const [channels, materials, campaigns] = await Promise.all([
    db.channel.count(),
    db.material.count(),
    db.campaign.count({ where: VISIBLE_CAMPAIGN }),
  ]);
  return channels + materials + campaigns > 0;
}

export interface DemoDecision {
  /** Seed (or finish seeding) the demo bank now. */
  seed: boolean;
  /** Run the demo: keys, the console's demo session, the demo director and its traffic. */
  run: boolean;
  /** One line for the start output. */
  reason: string;
}

/**
 * The rules of issue 9: DEMO=off starts empty; an embedded database is seeded when it is empty (or its
 * seed was interrupted); an external DATABASE_URL is only ever seeded on request (npm run demo:seed),
 * and runs the demo only once it holds a completed demo seed.
 */
export function decideDemo(input: {
  demo: 'on' | 'off';
  embedded: boolean;
  /** npm run demo:seed: the user asked for the seed on this database. */
  requested: boolean;
  state: DemoSeedState;
  holdsUserData: boolean;
}): DemoDecision {
  if (input.demo === 'off' && !input.requested)
    return { seed: false, run: false, reason: 'DEMO=off: no demo' };
  if (input.state === 'completed')
    return { seed: false, run: true, reason: 'the demo bank is already seeded' };
  if (!input.embedded && !input.requested) {
    return {
      seed: false,
      run: false,
      reason:
        input.state === 'started'
          ? 'external DATABASE_URL with an unfinished demo seed: run `npm run demo:seed` to finish it'
          : 'external DATABASE_URL: not seeded (`npm run demo:seed` seeds the demo bank into it)',
    };
  }
  if (input.state === 'started')
    return { seed: true, run: true, reason: 'finishing an interrupted demo seed' };
  if (input.holdsUserData && !input.requested) {
    return { seed: false, run: false, reason: 'the database already holds data: no demo seeded' };
  }
  return { seed: true, run: true, reason: 'empty database: seeding the demo bank' };
}
