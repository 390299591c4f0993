// Finds (or builds) the `temporal` CLI whose `server start-dev` is our embedded Temporal server.
// Order: TEMPORAL_CLI_PATH → `temporal` on PATH → a copy built into .tools/bin with Go →
// null (the caller then falls back to the SDK's download, which needs internet).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const localCliPath = path.join(projectRoot, '.tools', 'bin', 'temporal');

function onPath(command: string): string | null {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const found = result.stdout.trim();
  return result.status === 0 && found ? found : null;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface ResolvedCli {
  path: string;
  source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'local-build';
}

export function findTemporalCli(explicit?: string): ResolvedCli | null {
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    return { path: explicit, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal');
  if (fromPath) return { path: fromPath, source: 'PATH' };
  if (isExecutable(localCliPath)) return { path: localCliPath, source: 'local-build' };
  return null;
}

/** Builds the CLI with `go install` into .tools/bin. Returns null when Go is not installed. */
export async function buildTemporalCli(
  log: (line: string) => void = console.log,
): Promise<ResolvedCli | null> {
  const go = onPath('go');
  if (!go) return null;
  log(
    `Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) with Go into .tools/bin. ` +
      'The first build downloads the server module graph and compiles it: about 5–10 minutes on 2 cores. ' +
      'Later builds reuse Go’s caches.',
  );
  fs.mkdirSync(path.dirname(localCliPath), { recursive: true });
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: path.dirname(localCliPath) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const ticker = setInterval(
      () => log(`  … still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)`),
      30_000,
    );
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new Error(`go install ${TEMPORAL_CLI_MODULE} exited with code ${code}`));
    });
  });
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s: ${localCliPath}`);
  return { path: localCliPath, source: 'local-build' };
}

export async function resolveTemporalCli(
  explicit?: string,
  log: (line: string) => void = console.log,
): Promise<ResolvedCli | null> {
  return findTemporalCli(explicit) ?? (await buildTemporalCli(log));
}

// `tsx infra/temporal-cli.ts install`: used by .ci/run and `npm run temporal:install`.
if (require.main === module) {
  resolveTemporalCli(process.env.TEMPORAL_CLI_PATH)
    .then((cli) => {
      if (!cli) {
        console.error(
          'No temporal CLI found and Go is not installed; the SDK download will be used at start.',
        );
        process.exit(0);
      }
      console.log(`temporal CLI: ${cli.path} (${cli.source})`);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
