// bench:funnel's CPU accounting reads /proc: a process's own CPU time, every backend by command name,
// and the machine's busy time, and adds each turn's difference to its side.
import { CpuAccounting, machineBusyMs, processCpuMs } from '../../../scripts/bench/cpu-accounting';

/**
 * Keeps this thread busy until the process has used `ms` of CPU. Counted in CPU, not wall time: on a
 * loaded machine (CI runs two shards on two cores) 200 ms of wall time gave this process 80 ms of CPU.
 */
function burn(ms: number): void {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + 1);
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) break;
  }
  expect(x).toBeGreaterThan(0);
}

it("reads a live process's CPU time as it grows, and 0 for a process that is gone", () => {
  const before = processCpuMs(process.pid);
  const machineBefore = machineBusyMs();
  burn(150);
  expect(processCpuMs(process.pid)).toBeGreaterThanOrEqual(before + 50);
  expect(machineBusyMs()).toBeGreaterThan(machineBefore);
  expect(processCpuMs(2 ** 22 + 12345)).toBe(0); // above Linux's pid_max
});

it("adds each turn's CPU to its side only, per 1,000 registrations", () => {
  const cpu = new CpuAccounting(() => ({ self: process.pid, missing: undefined }));
  cpu.turnStarted();
  burn(200);
  cpu.turnEnded('api');
  cpu.turnStarted();
  cpu.turnEnded('raw');

  // /proc counts in 10 ms ticks; a turn of 200 ms on the CPU is at least 100 ms of it whatever the load.
  expect(cpu.totals.api.self).toBeGreaterThanOrEqual(100);
  expect(cpu.totals.api.bench).toBeGreaterThanOrEqual(100); // this process again, by process.cpuUsage()
  expect(cpu.totals.api.missing).toBe(0);
  // The machine's count (/proc/stat) and the process's are sampled apart: under load they differ by
  // more than a tick, so only that it saw the burn.
  expect(cpu.totals.api.machine).toBeGreaterThanOrEqual(100);
  expect(cpu.totals.raw.self ?? 0).toBeLessThan(cpu.totals.api.self!);
  expect(cpu.perThousand('api', 2000).self).toBe(Math.round(cpu.totals.api.self! / 2));
});
