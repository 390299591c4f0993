#!/usr/bin/env node
// `npm test`: the whole suite as TEST_SHARDS (default 2) jest runs side by side, each with servers of its
// own (its global setup starts a Temporal dev server, a fresh database and a simulator), so no test can
// see another shard's campaigns. The suite's time is mostly waiting — new-customer periods, cohort
// windows, polling pages — not CPU, so two shards on two cores take little more than half the time of
// one (docs/testing.md). Each shard runs its files in band, as before; test/setup/sequencer.js deals
// the files so that the shards take about as long as each other.
//
// With arguments (`npm test -- test/unit`, `npm test -- -t name`), it is plain `jest --runInBand` with
// them: one shard, as when a single file is run. Exits non-zero when any shard fails.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const jest = path.join(__dirname, '..', 'node_modules', 'jest', 'bin', 'jest.js');
const args = process.argv.slice(2);
const shards = args.length > 0 ? 1 : Number(process.env.TEST_SHARDS ?? 2);

if (!Number.isInteger(shards) || shards < 1) {
  console.error(`TEST_SHARDS must be a whole number ≥ 1, got ${process.env.TEST_SHARDS}`);
  process.exit(2);
}

const children = [];

function run(index) {
  const shardArgs = shards > 1 ? [`--shard=${index}/${shards}`] : [];
  const child = spawn(process.execPath, [jest, '--runInBand', ...shardArgs, ...args], {
    stdio: shards > 1 ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  children.push(child);
  if (shards > 1) {
    // Every line says which shard printed it; the two shards' output interleaves line by line.
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      readline
        .createInterface({ input: stream })
        .on('line', (line) => out.write(`[${index}/${shards}] ${line}\n`));
    }
  }
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ index, code: code ?? 1, signal }));
  });
}

const started = Date.now();
Promise.all(Array.from({ length: shards }, (_, i) => run(i + 1))).then((results) => {
  const seconds = Math.round((Date.now() - started) / 1000);
  for (const r of results) {
    if (shards > 1) {
      console.log(
        `shard ${r.index}/${shards}: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code}${r.signal ? `, ${r.signal}` : ''})`}`,
      );
    }
  }
  if (shards > 1) console.log(`all shards done in ${seconds} s`);
  process.exit(results.every((r) => r.code === 0) ? 0 : 1);
});

// Ctrl-C reaches the shards itself (one process group); a SIGTERM is passed on. Either way each jest
// runs its global teardown, and this process exits when they have.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => children.forEach((child) => child.kill('SIGTERM')));
