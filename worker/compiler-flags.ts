// V8 flags the worker sets on itself before anything else runs, so that every way of starting it (npm start,
// the image, the benchmarks) gets them.
//
// --no-turbo-escape: TurboFan's escape analysis, optimising one large function of the worker, once took
// ~500 MB of native memory for ~50 s (jemalloc's profiler at the peak: 458 MB under
// OptimizingCompileDispatcher → EscapeAnalysis → VariableTracker::MergeInputs → Zone::Expand), which was
// the worker's whole peak at 1,000,000 registrations — 840 MB against a resident ~320 MB the rest of the
// run (docs/benchmarks.md, "One million"). Without escape analysis TurboFan still optimises; it only keeps
// some short-lived objects on the heap that it would otherwise have replaced by their fields.
import v8 from 'node:v8';

export const WORKER_V8_FLAGS = ['--no-turbo-escape'] as const;

for (const flag of WORKER_V8_FLAGS) v8.setFlagsFromString(flag);
