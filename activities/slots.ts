// Counting slots that bound how much of a worker's cohort-step work runs at once. Two uses, one kind:
//
// - Transactions. A worker runs up to 100 activities at a time and each cohort step checks contacts for
//   several batches in parallel, but its Prisma pool has DB_POOL_SIZE connections (10 by default). Past
//   the pool, transactions queued inside Prisma and failed after its wait limit ("Unable to start a
//   transaction in the given time"), so at a million customers most cohort steps failed and retried
//   (docs/benchmarks.md, "One million"). Waiting here instead costs nothing.
// - Pages. A cohort step holds its page of customers (and, as it sends, their messages and receipts)
//   from the read to the write. Steps beyond the transaction slots only wait, each holding a page, so the
//   worker's memory grew with the steps in flight — with the cohorts open, i.e. with the campaign's size
//   (docs/benchmarks.md, "One million"). A step waits for a page slot BEFORE it reads its page, so pages in
//   memory are bounded by the slots, whatever the number of activities.
// Either wait is heartbeated by the step's own ticker (activities/cohort-steps.ts).

export interface Slots {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createSlots(size: number): Slots {
  if (!Number.isInteger(size) || size < 1) throw new Error(`slots must be a positive integer, got ${size}`);
  let free = size;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free += 1;
  };
  return {
    async run(work) {
      if (free > 0) free -= 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

/** Transaction slots for a pool of `poolSize` connections: leaves two for the activities' plain reads and writes. */
export function slotsForPool(poolSize: number): number {
  return Math.max(1, poolSize - 2);
}

/**
 * Pages in flight for `transactionSlots` transaction slots: twice as many, so that while one page of each
 * pair holds a transaction (its contact check or its message write) the other is at its channel calls,
 * which need no connection.
 */
export function pagesForTransactionSlots(transactionSlots: number): number {
  return 2 * transactionSlots;
}
