// The chaos run's bounded ingest client: registrations at a steady rate through the campaign's window, and a
// qualifying transaction for a seeded share of the customers it got accepted. Every batch is serialised once
// and resent as the identical bytes under the same Idempotency-Key after any failure (no answer, a 5xx, a
// 409 or 429), for as long as the run lasts: so the record it keeps — every item answered `accepted` — is
// exactly what the invariants may hold the system to.
import { createHash } from 'node:crypto';
import { seededRandom } from '../simulator/random';
import { sleep } from './processes';

const RETRYABLE = new Set([408, 409, 425, 429, 500, 502, 503, 504]);
const REQUEST_TIMEOUT_MS = 10_000;

export interface ClientOptions {
  apiUrl: string;
  apiKey: string;
  campaignId: string;
  channelCodes: readonly string[];
  currency: string;
  seed: number;
  /** Registrations per second, from `startAt` until `windowEnd`. */
  rate: number;
  batch: number;
  activationShare: number;
  startAt: number;
  windowEnd: number;
  /** The client gives up (and reports what is left unanswered) after this instant. */
  giveUpAt: number;
  log: (line: string) => void;
}

interface ItemAnswer {
  index?: number;
  status?: string;
  errors?: { reason?: string }[];
}

/** One answered batch, for recovery times: when the answer came and how many items it accepted. */
export interface AnsweredBatch {
  kind: 'registrations' | 'events';
  /** When the attempt that got the answer was sent: an answer to a request sent before a fault says nothing. */
  sentAt: number;
  at: number;
  accepted: number;
}

export interface AcceptedEvent {
  eventId: string;
  customerRef: string;
  revenueMinor: number;
}

export interface ClientRecord {
  /** customerRef → the answer that said it is stored: accepted, flagged or duplicate_request. */
  registrations: Map<string, string>;
  refused: Record<string, number>;
  events: Map<string, AcceptedEvent>;
  eventsRefused: Record<string, number>;
  batches: number;
  retries: number;
  /** Items still unanswered when the client stopped (it never gives up before giveUpAt). */
  unanswered: number;
}

interface PendingBatch {
  kind: 'registrations' | 'events';
  url: string;
  body: string;
  key: string;
  items: { customerRef: string; eventId?: string; revenueMinor?: number }[];
  attempts: number;
}

const bump = (record: Record<string, number>, key: string) => (record[key] = (record[key] ?? 0) + 1);

export class ChaosClient {
  readonly record: ClientRecord = {
    registrations: new Map(),
    refused: {},
    events: new Map(),
    eventsRefused: {},
    batches: 0,
    retries: 0,
    unanswered: 0,
  };
  readonly answered: AnsweredBatch[] = [];
  /** True while a request is on the wire: the API kill waits for this, to kill it mid-batch. */
  inFlight = false;
  private sent = 0;
  private readonly eventQueue: { customerRef: string; at: number }[] = [];
  private pending: PendingBatch | null = null;
  private stopped = false;
  private readonly activates: () => number;

  constructor(private readonly options: ClientOptions) {
    this.activates = seededRandom(options.seed ^ 0x5eed);
  }

  customerRef(n: number): string {
    return `chaos-${this.options.seed}-${String(n).padStart(6, '0')}`;
  }

  stop(): void {
    this.stopped = true;
  }

  /** When the first batch sent at or after `since` was answered with an accepted item; null if none yet. */
  firstAcceptedSince(since: number): number | null {
    for (const batch of this.answered) if (batch.sentAt >= since && batch.accepted > 0) return batch.at;
    return null;
  }

  get acquisitionOver(): boolean {
    return Date.now() >= this.options.windowEnd;
  }

  async run(): Promise<ClientRecord> {
    const o = this.options;
    while (!this.stopped && Date.now() < o.giveUpAt) {
      if (this.pending === null) this.pending = this.nextBatch();
      if (this.pending === null) {
        if (this.acquisitionOver && this.eventQueue.length === 0) break;
        await sleep(100);
        continue;
      }
      const done = await this.send(this.pending);
      if (done) this.pending = null;
      else await sleep(Math.min(2_000, 200 * 2 ** Math.min(4, this.pending.attempts - 1)));
    }
    this.record.unanswered = (this.pending?.items.length ?? 0) + this.eventQueue.length;
    return this.record;
  }

  /** The registrations due by now (at most one batch), else the queued events; null when nothing is due. */
  private nextBatch(): PendingBatch | null {
    const o = this.options;
    const now = Math.min(Date.now(), o.windowEnd - 1);
    const due = Math.floor(((now - o.startAt) / 1_000) * o.rate);
    if (due > this.sent && !this.acquisitionOver) {
      const count = Math.min(o.batch, due - this.sent);
      const items = Array.from({ length: count }, (_, i) => {
        const n = this.sent + i;
        // Each registration at its planned instant, so a retried batch carries the same times.
        const at = o.startAt + Math.floor((n / o.rate) * 1_000);
        return {
          customerRef: this.customerRef(n),
          channelCode: o.channelCodes[n % o.channelCodes.length] as string,
          registeredAt: new Date(at).toISOString(),
          contactHash: `contact-${this.customerRef(n)}`,
        };
      });
      this.sent += count;
      return this.batch('registrations', items, items);
    }
    if (this.eventQueue.length === 0) return null;
    const due2 = this.eventQueue.splice(0, o.batch);
    const events = due2.map(({ customerRef, at }, i) => ({
      eventId: `${customerRef}-tx`,
      customerRef,
      type: 'transaction',
      amountMinor: 20_000,
      revenueMinor: 100 + ((this.sent + i) % 50),
      currency: o.currency,
      occurredAt: new Date(at).toISOString(),
    }));
    return this.batch('events', events, events);
  }

  private batch(
    kind: PendingBatch['kind'],
    items: object[],
    recordItems: { customerRef: string; eventId?: string; revenueMinor?: number }[],
  ): PendingBatch {
    const url = `${this.options.apiUrl}/campaigns/${this.options.campaignId}/${kind}`;
    const body = JSON.stringify({ items });
    const key = `chaos-${createHash('sha256').update(`${url}\n${body}`).digest('hex').slice(0, 48)}`;
    this.record.batches += 1;
    return { kind, url, body, key, items: recordItems, attempts: 0 };
  }

  /** One attempt; true when the batch got an answer worth keeping (its items are recorded). */
  private async send(batch: PendingBatch): Promise<boolean> {
    batch.attempts += 1;
    if (batch.attempts > 1) this.record.retries += 1;
    let status: number;
    let text: string;
    const sentAt = Date.now();
    this.inFlight = true;
    try {
      const res = await fetch(batch.url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.options.apiKey}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': batch.key,
        },
        body: batch.body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      if (batch.attempts === 1 || batch.attempts % 10 === 0)
        this.options.log(`${batch.kind} batch: ${String((err as { cause?: unknown }).cause ?? err)}; resent`);
      return false;
    } finally {
      this.inFlight = false;
    }
    if (RETRYABLE.has(status)) {
      if (batch.attempts === 1 || batch.attempts % 10 === 0)
        this.options.log(`${batch.kind} batch answered ${status}; resent as it is`);
      return false;
    }
    let answers: ItemAnswer[] = [];
    try {
      answers = ((JSON.parse(text) as { items?: ItemAnswer[] }).items ?? []) as ItemAnswer[];
    } catch {
      answers = [];
    }
    if (status !== 200 || answers.length !== batch.items.length) {
      // Not retryable and not an item-by-item answer: the whole batch was refused. Counted, not retried.
      this.options.log(`${batch.kind} batch refused with ${status}: ${text.slice(0, 200)}`);
      const into = batch.kind === 'registrations' ? this.record.refused : this.record.eventsRefused;
      for (let i = 0; i < batch.items.length; i++) bump(into, `http_${status}`);
      this.answered.push({ kind: batch.kind, sentAt, at: Date.now(), accepted: 0 });
      return true;
    }
    let accepted = 0;
    answers.forEach((answer, i) => {
      const item = batch.items[answer.index ?? i] ?? batch.items[i];
      if (!item) return;
      const stored =
        answer.status === 'accepted' || answer.status === 'flagged' || answer.status === 'duplicate_request';
      if (batch.kind === 'registrations') {
        if (!stored) return void bump(this.record.refused, answer.errors?.[0]?.reason ?? 'rejected');
        accepted += 1;
        this.record.registrations.set(item.customerRef, answer.status as string);
        if (answer.status !== 'flagged' && this.activates() < this.options.activationShare)
          this.eventQueue.push({ customerRef: item.customerRef, at: Date.now() });
      } else {
        if (!stored) return void bump(this.record.eventsRefused, answer.errors?.[0]?.reason ?? 'rejected');
        accepted += 1;
        this.record.events.set(item.eventId as string, {
          eventId: item.eventId as string,
          customerRef: item.customerRef,
          revenueMinor: item.revenueMinor as number,
        });
      }
    });
    this.answered.push({ kind: batch.kind, sentAt, at: Date.now(), accepted });
    return true;
  }
}
