// What activities need from the outside world, injected by the worker (real) or tests (real too:
// a real database and the channel simulator over HTTP — but built by the test).
import type { Db } from '../db/client';
import type { Slots } from './slots';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface ActivityDeps {
  db: Db;
  clock: Clock;
  /** Base URL of the channel simulator, for channels whose adapter type is 'simulator'. */
  simulatorUrl: string;
  /** Bounds the cohort steps' concurrent transactions to the pool (activities/slots.ts). */
  transactionSlots?: Slots;
  /** Bounds the cohort-step pages held in memory at once, whatever the activities in flight (activities/slots.ts). */
  pageSlots?: Slots;
}
