// Bundles the workflow code once per process (webpack + swc: a few seconds), and reuses it for
// every Worker that process creates.
import path from 'node:path';
import fs from 'node:fs';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

let cached: Promise<WorkflowBundleWithSourceMap> | undefined;

export function workflowsPath(): string {
  // From sources (tsx, ts-jest) the .ts entry sits beside us; from dist/ the compiled .js does.
  const ts = path.resolve(__dirname, '..', 'workflows', 'index.ts');
  return fs.existsSync(ts) ? ts : path.resolve(__dirname, '..', 'workflows', 'index.js');
}

export function getWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  cached ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger });
  return cached;
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
