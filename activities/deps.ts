// What activities need from the outside world, injected by the worker (real) or tests (real too:
// a real database and the channel simulator over HTTP — but built by the test).
import type { Db } from '../db/client';
import type { TransactionSlots } from './transaction-slots';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface ActivityDeps {
  db: Db;
  clock: Clock;
  /** Base URL of the channel simulator, for channels whose adapter type is 'simulator'. */
  simulatorUrl: string;
  /** Bounds the cohort steps' concurrent transactions to the pool (activities/transaction-slots.ts). */
  transactionSlots?: TransactionSlots;
}
