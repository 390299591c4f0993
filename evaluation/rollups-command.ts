// `npm run rollups:check -- --campaign ID [--repair]` or `-- --all [--repair]`: compares campaigns'
// evaluation rollups with a recomputation from their facts, prints every key that differs, and exits 1
// if any does (after a repair: if any still does). Kept apart from the script so that a test can run it.
import { z } from 'zod';
import type { Db } from '../db/client';
import { checkRollups, compactRollups, repairRollups, type RollupDifference } from './rollups';

export const ROLLUPS_USAGE = 'usage: npm run rollups:check -- (--campaign ID | --all) [--repair]';

const ArgsSchema = z
  .object({
    campaign: z.string().min(1).optional(),
    all: z.boolean(),
    repair: z.boolean(),
  })
  .refine((a) => (a.campaign === undefined) === a.all, { message: 'name one campaign or --all' });

export function parseRollupsArgs(argv: readonly string[]): z.infer<typeof ArgsSchema> {
  const at = argv.indexOf('--campaign');
  const known = new Set(['--campaign', '--all', '--repair']);
  const unknown = argv.filter((arg, i) => !known.has(arg) && !(at !== -1 && i === at + 1));
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')}`);
  return ArgsSchema.parse({
    campaign: at === -1 ? undefined : (argv[at + 1] ?? ''),
    all: argv.includes('--all'),
    repair: argv.includes('--repair'),
  });
}

function describe(difference: RollupDifference): string {
  const key = Object.entries(difference.key)
    .map(([name, value]) => `${name}=${value === '' ? '∅' : value}`)
    .join(' ');
  const measures = Object.entries(difference.measures)
    .map(([name, [facts, rollups]]) => `${name}: facts ${facts}, rollups ${rollups}`)
    .join('; ');
  return `  ${difference.rollup} ${key} — ${measures}`;
}

/** Runs the command; returns the exit code (0: every campaign's rollups equal its facts). */
export async function runRollupsCommand(db: Db, argv: readonly string[], print: (line: string) => void) {
  let args;
  try {
    args = parseRollupsArgs(argv);
  } catch (err) {
    print(err instanceof z.ZodError ? (err.issues[0]?.message ?? 'bad arguments') : String(err));
    print(ROLLUPS_USAGE);
    return 2;
  }
  const campaignIds = args.campaign
    ? [args.campaign]
    : (await db.campaign.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((c) => c.id);
  if (
    args.campaign &&
    !(await db.campaign.findUnique({ where: { id: args.campaign }, select: { id: true } }))
  ) {
    print(`campaign ${args.campaign} does not exist`);
    return 2;
  }
  let failing = 0;
  for (const campaignId of campaignIds) {
    let differences = await checkRollups(db, campaignId);
    if (args.repair) {
      if (differences.length > 0) {
        print(`campaign ${campaignId}: ${differences.length} keys differ; repairing`);
        for (const difference of differences) print(describe(difference));
        print(`  repaired: ${await repairRollups(db, campaignId)} rollup rows changed`);
      }
      // A repair is also when the rows of many writers are folded into one per key.
      await compactRollups(db, campaignId);
      differences = await checkRollups(db, campaignId);
    }
    if (differences.length === 0) {
      print(`campaign ${campaignId}: rollups equal the facts`);
      continue;
    }
    failing++;
    print(`campaign ${campaignId}: ${differences.length} keys differ from the facts`);
    for (const difference of differences) print(describe(difference));
  }
  return failing === 0 ? 0 : 1;
}
