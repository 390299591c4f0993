// Stopping a child process the way its servers expect: SIGTERM for a clean shutdown, SIGKILL only when
// it has not exited within the grace period.
import type { ChildProcess } from 'node:child_process';

/** Resolves once the child has exited; at once when it already has. */
export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
