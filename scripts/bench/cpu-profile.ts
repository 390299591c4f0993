// Where a V8 CPU profile (node --cpu-prof) spends its samples: self time per part of the stack (the
// project's own modules by folder, each library, V8's garbage collector, idle) and the busiest functions.
//   npx tsx scripts/bench/cpu-profile.ts FILE.cpuprofile [--top N]
import fs from 'node:fs';

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The part of the program a frame belongs to: a library by package name, a project folder, or V8's own. */
export function partOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const own =
    /\/(api|funnel|domain|db|generated|evaluation|activities|workflows|worker|infra|simulator|config)\//.exec(
      url,
    );
  if (own) return `project ${own[1]}/`;
  return url;
}

export interface ProfileSummary {
  totalMs: number;
  parts: { part: string; ms: number; share: number }[];
  functions: { name: string; part: string; ms: number }[];
}

/** Self time per part and per function, from the samples and their time deltas (microseconds). */
export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parts = new Map<string, number>();
  const functions = new Map<string, { name: string; part: string; ms: number }>();
  let total = 0;
  for (const [id, micros] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { url, functionName, lineNumber } = node.callFrame;
    const part = partOf(url, functionName);
    const ms = micros / 1000;
    total += ms;
    parts.set(part, (parts.get(part) ?? 0) + ms);
    const name = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    const f = functions.get(name) ?? { name, part, ms: 0 };
    f.ms += ms;
    functions.set(name, f);
  }
  return {
    totalMs: total,
    parts: [...parts]
      .map(([part, ms]) => ({ part, ms, share: total > 0 ? ms / total : 0 }))
      .sort((a, b) => b.ms - a.ms),
    functions: [...functions.values()].sort((a, b) => b.ms - a.ms).slice(0, top),
  };
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: cpu-profile.ts FILE.cpuprofile [--top N]');
  const at = process.argv.indexOf('--top');
  const summary = summarizeProfile(
    JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile,
    at === -1 ? 25 : Number(process.argv[at + 1]),
  );
  console.log(`${file}: ${(summary.totalMs / 1000).toFixed(1)} s of samples`);
  for (const p of summary.parts.slice(0, 20))
    console.log(
      `  ${(p.share * 100).toFixed(1).padStart(5)}%  ${(p.ms / 1000).toFixed(2).padStart(7)} s  ${p.part}`,
    );
  console.log('busiest functions (self time):');
  for (const f of summary.functions)
    console.log(`  ${(f.ms / 1000).toFixed(2).padStart(7)} s  ${f.name}  [${f.part}]`);
}
