// Splits the suite into shards of about equal wall time, for `npm test` (scripts/test.cjs), which runs
// the shards side by side. Jest's own --shard splits by a hash of the path, so one shard could get the
// three slowest files; here each file is given its last measured duration (test/setup/durations.json,
// seconds; a file not listed gets its project's typical one) and the files are dealt, slowest first,
// to the shard with the least time so far. The table only steers the balance: a stale one still
// runs every file exactly once.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const durations = require('./durations.json');

const root = path.resolve(__dirname, '..', '..');
const fallback = (relative) =>
  relative.startsWith('test/unit/') ? 1 : relative.startsWith('test/browser/') ? 40 : 15;

function weightOf(test) {
  const relative = path.relative(root, test.path).split(path.sep).join('/');
  return durations[relative] ?? fallback(relative);
}

/** Deals tests to `count` shards by weight, slowest first; ties by path, so every shard agrees. */
function deal(tests, count) {
  const ordered = [...tests].sort((a, b) => weightOf(b) - weightOf(a) || (a.path < b.path ? -1 : 1));
  const shards = Array.from({ length: count }, () => ({ total: 0, tests: [] }));
  for (const test of ordered) {
    const lightest = shards.reduce((best, shard) => (shard.total < best.total ? shard : best));
    lightest.tests.push(test);
    lightest.total += weightOf(test);
  }
  return shards;
}

class BalancedSequencer extends Sequencer {
  shard(tests, { shardIndex, shardCount }) {
    return deal(tests, shardCount)[shardIndex - 1].tests;
  }
}

module.exports = BalancedSequencer;
module.exports.deal = deal;
