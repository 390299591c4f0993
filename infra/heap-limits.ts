// The V8 old-space limits the deployment runs each long-lived process with (Node's
// --max-old-space-size, in MB). Why set them at all: on a machine with lots of memory V8 sizes its heap
// from the machine (~4 GB here) and collects the garbage of 1,000-row pages and batches lazily, so RSS
// follows the allocation rate, not what is live. The live set of a 100,000-registration campaign fits
// in these limits (docs/benchmarks.md, "Memory"); docker-compose.yml passes the same numbers in
// NODE_OPTIONS and the funnel benchmark runs with them unless told otherwise.
export const HEAP_LIMIT_MB = { worker: 160, api: 128 } as const;

export function heapLimitArgs(process: keyof typeof HEAP_LIMIT_MB): string[] {
  return [`--max-old-space-size=${HEAP_LIMIT_MB[process]}`];
}
