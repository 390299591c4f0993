// How many of a worker's cohort-step transactions may wait on the database at once. Why: a worker runs up
// to 100 activities at a time and each cohort step checks contacts for several batches in parallel, but
// its Prisma pool has DB_POOL_SIZE connections (10 by default). Past the pool, transactions queued inside
// Prisma and failed after its wait limit ("Unable to start a transaction in the given time"), so at a
// million customers most cohort steps failed and retried (docs/benchmarks.md, "One million"). Waiting
// here instead costs nothing: a waiting page keeps heartbeating on its own ticker.

export interface TransactionSlots {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function transactionSlots(size: number): TransactionSlots {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`transaction slots must be a positive integer, got ${size}`);
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

/** Slots for a pool of `poolSize` connections: leaves two for the activities' plain reads and writes. */
export function slotsForPool(poolSize: number): number {
  return Math.max(1, poolSize - 2);
}
