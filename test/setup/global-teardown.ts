// Stops what global-setup started, in reverse order.
const g = globalThis as unknown as { __testStops?: (() => Promise<void>)[] };

export default async function globalTeardown(): Promise<void> {
  for (const stop of (g.__testStops ?? []).reverse()) {
    await stop().catch((err: unknown) => process.stderr.write(`[test-teardown] ${String(err)}\n`));
  }
}
