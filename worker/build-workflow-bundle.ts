// Writes the workflow bundle to the path given as the first argument: run by the worker's child
// process (worker/workflow-bundle.ts) and by `npm run build:workflow-bundle` for deployed images.
import path from 'node:path';
import { writeWorkflowBundle } from './workflow-bundle';

const outPath = process.argv[2];
if (!outPath) {
  console.error('usage: build-workflow-bundle <out.js>');
  process.exit(2);
}
writeWorkflowBundle(path.resolve(outPath)).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
