// The native allocator the deployment gives the worker: jemalloc (Debian's libjemalloc2) in place of glibc's
// malloc, preloaded, so that Temporal's core (Rust, linked against malloc/free) and Node's own native
// allocations use it too. Why: with glibc the worker's native memory stayed at its high-water mark — each
// thread arena keeps what it once held — so resident memory grew with the work a campaign had put through
// it (malloc 415 MB at 713,000 registrations); jemalloc returns freed pages after `dirty_decay_ms` and the
// same million-registration run stayed at ~300–340 MB resident (docs/benchmarks.md, "One million").
// The Dockerfile installs the library at JEMALLOC_PATH; docker-compose.yml sets the same environment for the
// worker service; the funnel benchmark uses workerAllocatorEnv() when the library is on this machine.
import fs from 'node:fs';

/** Where the image links Debian's libjemalloc.so.2 (its multiarch directory differs by CPU). */
export const JEMALLOC_PATH = '/usr/local/lib/libjemalloc.so.2';

/** jemalloc's settings: purge freed pages after 1 s, in a background thread rather than in allocating ones. */
export const JEMALLOC_CONF = 'background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0';

const CANDIDATES = [
  JEMALLOC_PATH,
  `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/libjemalloc.so.2`,
];

/** The worker's environment for jemalloc, or {} when the library is not installed here. */
export function workerAllocatorEnv(): Record<string, string> {
  const found = CANDIDATES.find((file) => fs.existsSync(file));
  return found ? { LD_PRELOAD: found, MALLOC_CONF: JEMALLOC_CONF } : {};
}
