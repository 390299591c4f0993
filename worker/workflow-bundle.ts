// Where the worker's workflow code comes from. Three ways, one per kind of process:
// - tests and the replay check bundle in their own process, once, and reuse it (`getWorkflowBundle`);
// - a deployed worker loads a bundle built ahead of time (`WORKFLOW_BUNDLE_PATH`, written by
//   `npm run build:workflow-bundle`; the Dockerfile does this);
// - `npm start` and the benchmarks bundle in a short-lived child process (`bundleInChildProcess`).
// Why not bundle in the worker itself: webpack + swc take the worker from ~135 MB to ~290 MB of RSS for
// a 2.9 MB bundle, and V8 does not give that memory back (docs/benchmarks.md, "Memory"). A child that
// exits takes its peak with it; the worker reads a file.
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { fork } from 'node:child_process';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

let cached: Promise<WorkflowBundleWithSourceMap> | undefined;

export function workflowsPath(): string {
  // From sources (tsx, ts-jest) the .ts entry sits beside us; from dist/ the compiled .js does.
  return sourceOrCompiled(path.resolve(__dirname, '..', 'workflows', 'index'));
}

function sourceOrCompiled(withoutExtension: string): string {
  const ts = `${withoutExtension}.ts`;
  return fs.existsSync(ts) ? ts : `${withoutExtension}.js`;
}

/** Bundles in this process, once per process. */
export function getWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  cached ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger });
  return cached;
}

/** Writes the bundle to a file (the build step and the child process both use this). */
export async function writeWorkflowBundle(outPath: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger });
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  // Written whole, then renamed: a reader never sees half a bundle.
  fs.writeFileSync(`${outPath}.partial`, code);
  fs.renameSync(`${outPath}.partial`, outPath);
}

/**
 * Bundles in a child process (same Node flags, so a tsx parent gives a tsx child) and answers the file's
 * path; the caller removes it once the Worker has read it.
 */
export async function bundleInChildProcess(): Promise<string> {
  const outPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-workflows-')), 'bundle.js');
  const child = fork(sourceOrCompiled(path.resolve(__dirname, 'build-workflow-bundle')), [outPath], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0 || !fs.existsSync(outPath)) {
    throw new Error(`bundling the workflow code in a child process failed (exit code ${code})`);
  }
  return outPath;
}

export function removeBundleFile(bundlePath: string): void {
  fs.rmSync(path.dirname(bundlePath), { recursive: true, force: true });
}

const noop = () => undefined;
const quietLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: console.warn,
  error: console.error,
  log: noop,
};
