// A min-heap by time: the generator's agenda of registrations and period opportunities that fall due.
// Ties keep insertion order, so the same inputs always come out in the same order.
export class Agenda<T> {
  private heap: { at: number; seq: number; value: T }[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, value: T): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, value });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** The earliest time due, or null when empty. */
  peekAt(): number | null {
    return this.heap[0]?.at ?? null;
  }

  /** Removes and returns up to `max` entries due at or before `now`, earliest first. */
  takeDue(now: number, max: number): T[] {
    const out: T[] = [];
    while (out.length < max && this.heap.length > 0 && (this.heap[0] as { at: number }).at <= now) {
      out.push(this.pop());
    }
    return out;
  }

  private pop(): T {
    const heap = this.heap;
    const top = heap[0] as { value: T };
    const last = heap.pop() as (typeof heap)[number];
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.less(l, m)) m = l;
        if (r < heap.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top.value;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a] as { at: number; seq: number };
    const y = this.heap[b] as { at: number; seq: number };
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const h = this.heap;
    [h[a], h[b]] = [h[b] as (typeof h)[number], h[a] as (typeof h)[number]];
  }
}
