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
  /**
   * Linux: the resident set by kind of mapping (/proc/self/smaps), which says what `native` is. V8's
   * pages (anonymous 256 KiB mappings) of every isolate — the Temporal SDK runs workflows in a worker
   * thread with a heap of its own that heapTotal (this thread's) does not count; glibc's malloc (the
   * main heap and its 64 MiB-aligned thread arenas: Temporal core, gRPC, V8's compiler zones);
   * mapped files (node, the core bridge's .node, libraries); other anonymous memory (large objects,
   * stacks, mmap'd buffers). Approximate by construction: it classifies mappings, not allocations.
   */
  v8Pages?: number;
  malloc?: number;
  files?: number;
  otherAnon?: number;
  /** The caller's counters (the worker: activities running, workflows cached). */
  [counter: string]: number | undefined;
}

const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10;

function procStatusKb(field: string, status: string): number {
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

const V8_PAGE = 256 * 1024;
const ARENA_ALIGN = 64 * 1024 * 1024;

/** The resident set of /proc/self/smaps by kind of mapping (MemorySample says which), in MB. */
export function residentByMapping(
  smaps: string,
): Pick<MemorySample, 'v8Pages' | 'malloc' | 'files' | 'otherAnon'> {
  const kb = { v8Pages: 0, malloc: 0, files: 0, otherAnon: 0 };
  let kind: keyof typeof kb = 'otherAnon';
  for (const line of smaps.split('\n')) {
    if (line.startsWith('Rss:')) {
      kb[kind] += Number(line.slice(4).trim().split(' ')[0] ?? 0);
      continue;
    }
    // Only a mapping's first line starts with a (lower-case hex) address; the field lines with a name.
    const c = line.charCodeAt(0);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) continue;
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const start = parseInt(head[1] as string, 16);
      const size = parseInt(head[2] as string, 16) - start;
      const name = (head[4] as string).trim();
      if (name === '[heap]') kind = 'malloc';
      else if (name !== '') kind = name.startsWith('[') ? 'otherAnon' : 'files';
      else if (size === V8_PAGE) kind = 'v8Pages';
      else if (head[3] === 'rw-p' && start % ARENA_ALIGN === 0 && start >= 0x7f0000000000) kind = 'malloc';
      else kind = 'otherAnon';
    }
  }
  return {
    v8Pages: mb(kb.v8Pages * 1024),
    malloc: mb(kb.malloc * 1024),
    files: mb(kb.files * 1024),
    otherAnon: mb(kb.otherAnon * 1024),
  };
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
  let byMapping = {};
  try {
    byMapping = residentByMapping(fs.readFileSync('/proc/self/smaps', 'utf8'));
  } catch {
    // Not Linux.
  }
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
    ...byMapping,
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
    for (const [k, v] of Object.entries(s))
      if (k !== 't' && v !== undefined) peaks[k] = Math.max(peaks[k] ?? 0, v);
  return peaks;
}
