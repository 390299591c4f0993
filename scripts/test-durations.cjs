#!/usr/bin/env node
// Refreshes test/setup/durations.json — the seconds each test file took — from jest's JSON reports, so
// that test/setup/sequencer.js keeps the shards of `npm test` even. Several reports (one per shard) may
// be given; files of a report that ran them twice keep the longer time.
//   npx jest --runInBand --json --outputFile=/tmp/jest.json && node scripts/test-durations.cjs /tmp/jest.json
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const reports = process.argv.slice(2);
if (reports.length === 0) {
  console.error('usage: node scripts/test-durations.cjs <jest --json report> [more reports]');
  process.exit(2);
}
const seconds = {};
for (const file of reports) {
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const result of report.testResults) {
    const relative = path.relative(root, result.name).split(path.sep).join('/');
    const took = Math.round((result.endTime - result.startTime) / 100) / 10;
    seconds[relative] = Math.max(seconds[relative] ?? 0, took);
  }
}
const sorted = Object.fromEntries(Object.entries(seconds).sort(([a], [b]) => (a < b ? -1 : 1)));
const target = path.join(root, 'test', 'setup', 'durations.json');
fs.writeFileSync(target, `${JSON.stringify(sorted, null, 2)}\n`);
const total = Object.values(sorted).reduce((a, b) => a + b, 0);
console.log(
  `${Object.keys(sorted).length} files, ${Math.round(total)} s in all → ${path.relative(root, target)}`,
);
