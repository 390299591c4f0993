// Two writers taking turns, for bench:funnel's same-conditions raw baseline: the API path and the raw
// baseline (scripts/bench/raw-ingest.ts) alternate in turns of `slice` batches each, so that both meet
// the same machine — the cohort steps sending, the Temporal server, the other processes — and neither
// competes with the other (one side's lanes wait while the other's turn runs). Each side's rate is its
// batches over the sum of its own turns' wall time. A turn ends when its batches have all returned
// (the lanes drain: the same small loss for both sides); a side that has run out of batches says so with
// finish(), and the other then runs on alone.
export type Side = 'api' | 'raw';

export interface Gate {
  /** Waits for this side's turn, then counts one batch of it in flight. */
  enter(side: Side): Promise<void>;
  /** The batch has returned. */
  leave(side: Side): void;
  /** This side has no batches left. */
  finish(side: Side): void;
}

/** Told of each turn's edges (cpu-accounting.ts reads the CPU times there). */
export interface TurnListener {
  turnStarted(side: Side): void;
  turnEnded(side: Side): void;
}

export class Alternation implements Gate {
  /** Wall time of each side's turns, summed (ms). */
  readonly elapsedMs: Record<Side, number> = { api: 0, raw: 0 };
  private turn: Side;
  private entered = 0;
  private inFlight = 0;
  private turnStarted = performance.now();
  private readonly done: Record<Side, boolean> = { api: false, raw: false };
  private waiters: (() => void)[] = [];

  constructor(
    private readonly slice: number,
    first: Side = 'api',
    private readonly listener?: TurnListener,
  ) {
    this.turn = first;
    listener?.turnStarted(first);
  }

  async enter(side: Side): Promise<void> {
    for (;;) {
      if (this.turn !== side && this.done[this.turn] && this.inFlight === 0) this.startTurn(side);
      if (this.turn === side && this.entered < this.slice) {
        this.entered++;
        this.inFlight++;
        return;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  leave(side: Side): void {
    this.inFlight--;
    if (this.inFlight === 0 && (this.entered >= this.slice || this.done[side])) this.endTurn(side);
    this.wake();
  }

  finish(side: Side): void {
    this.done[side] = true;
    if (this.turn === side && this.inFlight === 0 && this.entered > 0) this.endTurn(side);
    this.wake();
  }

  private endTurn(side: Side): void {
    this.elapsedMs[side] += performance.now() - this.turnStarted;
    this.listener?.turnEnded(side);
    if (this.done.api && this.done.raw) return; // the last turn: none follows
    const other: Side = side === 'api' ? 'raw' : 'api';
    this.startTurn(this.done[other] ? side : other);
  }

  private startTurn(side: Side): void {
    this.turn = side;
    this.entered = 0;
    this.turnStarted = performance.now();
    this.listener?.turnStarted(side);
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
}
