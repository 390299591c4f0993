// The cohort steps' slots (transactions, pages): never more work at once than slots, waiting work starts in the
// order it came, and a slot comes back when work fails.
import { createSlots, pagesForTransactionSlots, slotsForPool } from '../../../activities/slots';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
const tick = () => new Promise((r) => setImmediate(r));

it('runs at most `size` pieces of work at once, and the waiting ones in arrival order', async () => {
  const slots = createSlots(2);
  const gates = Array.from({ length: 5 }, deferred);
  const started: number[] = [];
  let running = 0;
  let most = 0;
  const all = gates.map((gate, i) =>
    slots.run(async () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      await gate.promise;
      running -= 1;
      return i;
    }),
  );
  await tick();
  expect(started).toEqual([0, 1]);
  gates[1]!.resolve();
  await tick();
  expect(started).toEqual([0, 1, 2]);
  gates[0]!.resolve();
  gates[2]!.resolve();
  await tick();
  expect(started).toEqual([0, 1, 2, 3, 4]);
  gates[3]!.resolve();
  gates[4]!.resolve();
  expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4]);
  expect(most).toBe(2);
});

it('gives the slot back when the work throws', async () => {
  const slots = createSlots(1);
  await expect(slots.run(async () => Promise.reject(new Error('deadlock')))).rejects.toThrow('deadlock');
  const failing = deferred();
  const first = slots.run(() => failing.promise);
  let secondRan = false;
  const second = slots.run(async () => {
    secondRan = true;
  });
  await tick();
  expect(secondRan).toBe(false);
  failing.reject(new Error('serialization failure'));
  await expect(first).rejects.toThrow('serialization failure');
  await second;
  expect(secondRan).toBe(true);
});

it('sizes the slots from the pool, leaving two connections, never below one', () => {
  expect(slotsForPool(10)).toBe(8);
  expect(slotsForPool(2)).toBe(1);
  expect(() => createSlots(0)).toThrow(/positive integer/);
});

it('lets twice as many pages be in flight as there are transaction slots', () => {
  expect(pagesForTransactionSlots(slotsForPool(10))).toBe(16);
  expect(pagesForTransactionSlots(1)).toBe(2);
});
