// Where the CPU of bench:funnel's ingest goes, by process and by side. The API path and the raw baseline
// take turns (alternation.ts); at each turn's start and end this reads the CPU time (user + system, all
// threads) of each named process from /proc/<pid>/stat, of every PostgreSQL backend, and of the machine
// as a whole from /proc/stat, and adds the turn's difference to that side. Divided by the registrations
// each side wrote, that is what one registration costs in CPU through the API — in the API process, in
// PostgreSQL, in this script (the client) — against what it costs raw: on a machine whose cores are all
// busy, the ratio of the rates can be no better than the inverse ratio of those costs (docs/benchmarks.md).
// The worker, the Temporal server and the simulator are counted too: the cohort steps send during both
// sides' turns, and their share is what the ingest does not get. Linux only (/proc).
import fs from 'node:fs';
import type { Side } from './alternation';

/** Clock ticks per second of /proc's CPU times: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100;
const MS_PER_TICK = 1000 / TICKS_PER_SECOND;

/** utime + stime of a process (every thread), in ms; 0 once it is gone. */
export function processCpuMs(pid: number): number {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}

/** The CPU time of every process whose command name is `comm`, by pid, in ms. */
export function cpuMsByPid(comm: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== comm) continue;
    } catch {
      continue; // gone meanwhile
    }
    byPid.set(Number(entry), processCpuMs(Number(entry)));
  }
  return byPid;
}

/** The machine's busy CPU time (every core, all but idle and iowait), in ms. */
export function machineBusyMs(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] as string;
  const [, ...values] = line.trim().split(/\s+/);
  const ticks = values.map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return (total - idle) * MS_PER_TICK;
}

/** Processes counted by command name (every one of them): PostgreSQL's backends, the Temporal server. */
const BY_COMM = ['postgres', 'temporal'] as const;

interface Snapshot {
  named: Record<string, number>;
  byComm: Record<string, Map<number, number>>;
  machine: number;
}

/**
 * CPU ms per side and part: the named processes, 'postgres' (every backend), 'temporal' (the server),
 * 'bench' (this script: the API path's client and the raw baseline itself), 'machine' (everything).
 */
export type CpuBySide = Record<Side, Record<string, number>>;

export class CpuAccounting {
  readonly totals: CpuBySide = { api: {}, raw: {} };
  /** The PostgreSQL backends' CPU ms per side, by backend pid (postgresByApplication names them). */
  private readonly backends: Record<Side, Map<number, number>> = { api: new Map(), raw: new Map() };
  private started: Snapshot | null = null;

  /** `processes`: name → pid, read at each turn edge (a child that is not up yet counts 0). */
  constructor(private readonly processes: () => Record<string, number | undefined>) {}

  turnStarted(): void {
    this.started = this.snapshot();
  }

  turnEnded(side: Side): void {
    const from = this.started;
    if (!from) return;
    const to = this.snapshot();
    const add = (part: string, ms: number) => {
      this.totals[side][part] = (this.totals[side][part] ?? 0) + Math.max(0, ms);
    };
    for (const [name, ms] of Object.entries(to.named)) add(name, ms - (from.named[name] ?? 0));
    // A backend that started during the turn counts from zero; one that ended during it is lost (rare:
    // the pools keep their connections).
    for (const comm of BY_COMM) {
      let ms = 0;
      for (const [pid, now] of to.byComm[comm] ?? []) {
        const used = now - (from.byComm[comm]?.get(pid) ?? 0);
        ms += used;
        if (comm === 'postgres') this.backends[side].set(pid, (this.backends[side].get(pid) ?? 0) + used);
      }
      add(comm, ms);
    }
    add('machine', to.machine - from.machine);
    this.started = null;
  }

  /** Each part's CPU ms per 1,000 registrations of a side (registrations: how many it wrote). */
  perThousand(side: Side, registrations: number): Record<string, number> {
    return Object.fromEntries(
      Object.entries(this.totals[side]).map(([part, ms]) => [part, Math.round((ms * 1000) / registrations)]),
    );
  }

  /**
   * The PostgreSQL CPU of a side per 1,000 registrations, by the backends' application_name (`appOf`:
   * pid → name, read from pg_stat_activity while the pools still hold their connections): whose statements
   * it was — the API's, the worker's, the raw baseline's. A backend not in `appOf` counts as 'other'.
   */
  postgresByApplication(side: Side, appOf: ReadonlyMap<number, string>, registrations: number) {
    const byApp: Record<string, number> = {};
    for (const [pid, ms] of this.backends[side]) {
      const app = appOf.get(pid) || 'other';
      byApp[app] = (byApp[app] ?? 0) + ms;
    }
    return Object.fromEntries(
      Object.entries(byApp).map(([app, ms]) => [app, Math.round((ms * 1000) / registrations)]),
    );
  }

  private snapshot(): Snapshot {
    const named: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.processes())) named[name] = pid ? processCpuMs(pid) : 0;
    const self = process.cpuUsage();
    named.bench = (self.user + self.system) / 1000;
    const byComm = Object.fromEntries(BY_COMM.map((comm) => [comm, cpuMsByPid(comm)]));
    return { named, byComm, machine: machineBusyMs() };
  }
}
