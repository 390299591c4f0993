// Imports a historical campaign file into the database given by DATABASE_URL:
//   tsx scripts/import-history.ts bank-marketing|hillstrom FILE [--skip-bad-rows] [--unit-cost-minor N]
// FILE may be '-' for standard input. The file is streamed (flat memory at any size) and written all or
// nothing (importers/history-campaign.ts).
// --unit-cost-minor is the cost of one phone contact (bank-marketing, EUR cents, default 500) or of one
// e-mail (hillstrom, USD cents, default 1). Prints the import summary as JSON; on a validation failure it
// prints the report of bad rows and exits with status 1, having imported nothing.
import { createDb } from '../db/client';
import { importBankMarketing } from '../importers/bank-marketing';
import { ImportConflictError } from '../importers/history-campaign';
import { importHillstrom } from '../importers/hillstrom';
import { ImportFileError, ImportValidationError } from '../importers/table';

const USAGE =
  'usage: tsx scripts/import-history.ts bank-marketing|hillstrom FILE|- [--skip-bad-rows] [--unit-cost-minor N]';

interface Arguments {
  kind: 'bank-marketing' | 'hillstrom';
  file: string;
  skipBadRows: boolean;
  unitCostMinor?: number;
}

function parseArguments(argv: string[]): Arguments {
  const positional: string[] = [];
  let skipBadRows = false;
  let unitCostMinor: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--skip-bad-rows') skipBadRows = true;
    else if (arg === '--unit-cost-minor') {
      const value = argv[++i];
      if (value === undefined || !/^\d{1,12}$/.test(value))
        throw new Error(`--unit-cost-minor needs a whole number\n${USAGE}`);
      unitCostMinor = Number(value);
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else positional.push(arg);
  }
  const [kind, file] = positional;
  if ((kind !== 'bank-marketing' && kind !== 'hillstrom') || !file || positional.length !== 2)
    throw new Error(USAGE);
  return { kind, file, skipBadRows, ...(unitCostMinor === undefined ? {} : { unitCostMinor }) };
}

async function main(): Promise<number> {
  let args: Arguments;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    process.stderr.write('DATABASE_URL is required\n');
    return 2;
  }
  const db = createDb(databaseUrl, 2);
  const started = Date.now();
  try {
    const source = args.file === '-' ? process.stdin : args.file;
    const common = {
      fileName: args.file === '-' ? 'stdin.csv' : args.file,
      skipBadRows: args.skipBadRows,
      actor: 'import-history-cli',
    };
    const summary =
      args.kind === 'bank-marketing'
        ? await importBankMarketing(db, source, { ...common, unitCostMinor: args.unitCostMinor })
        : await importHillstrom(db, source, { ...common, costPerEmailMinor: args.unitCostMinor });
    process.stdout.write(`${JSON.stringify({ ...summary, elapsedMs: Date.now() - started }, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ImportValidationError) {
      process.stderr.write(`${err.message}\n`);
      process.stdout.write(`${JSON.stringify(err.report, null, 2)}\n`);
      return 1;
    }
    if (err instanceof ImportFileError || err instanceof ImportConflictError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
