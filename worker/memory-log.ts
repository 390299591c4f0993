// An opt-in periodic record of where the worker's memory is (MEMORY_LOG_MS, docs/benchmarks.md
// "Memory"). Why: VmHWM says how much a process took at its peak, not what took it; a worker whose V8
// old space is capped at 160 MB still peaked at 814 MB at a million registrations, so the rest is
// outside the JavaScript heap and only a breakdown taken while it runs can say which part grows.
import fs from 'node:fs';
import v8 from 'node:v8';

/** One sample, all sizes in MB (rounded to 0.1). */
export interface MemorySample {
  t: number;
  /** Resident set now and its peak so far (VmRSS, VmHWM of /proc/self/status). */
  rss: number;
  hwm: number;
  /** V8's heap: reserved (heapTotal) and live (heapUsed); the young generation's share of heapTotal. */
  heapTotal: number;
  heapUsed: number;
  newSpace: number;
  /** Memory of JS objects held outside the heap (Buffers, ArrayBuffers; arrayBuffers is part of it). */
  external: number;
  arrayBuffers: number;
  /** What is left of rss: native allocations (Temporal core, glibc arenas, WASM memory), code, stacks. */
  native: number;
  /** The caller's counters (the worker: activities running, workflows cached). */
  [counter: string]: number;
}

const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10;

function procStatusKb(field: string, status: string): number {
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

/** A sample now; `counters` adds the caller's figures (not memory, so not converted). */
export function memorySample(counters: Record<string, number> = {}): MemorySample {
  const usage = process.memoryUsage();
  let status = '';
  try {
    status = fs.readFileSync('/proc/self/status', 'utf8');
  } catch {
    // Not Linux: VmRSS/VmHWM unknown, rss from Node stands in.
  }
  const rssBytes = status ? procStatusKb('VmRSS', status) * 1024 : usage.rss;
  const hwmBytes = status ? procStatusKb('VmHWM', status) * 1024 : usage.rss;
  const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  return {
    t: Date.now(),
    rss: mb(rssBytes),
    hwm: mb(hwmBytes),
    heapTotal: mb(usage.heapTotal),
    heapUsed: mb(usage.heapUsed),
    newSpace: mb(newSpace),
    external: mb(usage.external),
    arrayBuffers: mb(usage.arrayBuffers),
    native: mb(Math.max(0, rssBytes - usage.heapTotal - usage.external)),
    ...counters,
  };
}

/**
 * Hands a sample to `write` every `intervalMs` until the returned function is called. The timer is
 * unref'd: it never keeps a draining worker alive.
 */
export function startMemoryLog(
  intervalMs: number,
  write: (sample: MemorySample) => void,
  counters: () => Record<string, number> = () => ({}),
): () => void {
  const tick = () => write(memorySample(counters()));
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The largest value of each field over a run's samples (the bench reports these beside VmHWM). */
export function peaksOf(samples: MemorySample[]): Record<string, number> {
  const peaks: Record<string, number> = {};
  for (const s of samples)
    for (const [k, v] of Object.entries(s)) if (k !== 't') peaks[k] = Math.max(peaks[k] ?? 0, v);
  return peaks;
}
