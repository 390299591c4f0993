// The simulator's in-memory imitation of many channel content systems: placements per channel,
// delivered messages, idempotency records, and the counters tests read to prove that retries never
// placed a material twice or messaged a customer twice. All methods are synchronous, so two
// concurrent requests with the same key can never both pass the "seen this key?" check.
//
// What counts as a duplicate (the figures tests assert stay 0):
// - duplicatePlacements: a first-time (new idempotency key) publish of a campaign + material version
//   on a channel where that campaign + version is already live — at another placement, or at the
//   same placement showing the same content (nothing to change, so the caller lost its key).
//   Publishing a new version to a placement, repairing a drifted one, or re-placing after a withdrawal
//   is not a duplicate.
// - duplicateMessages: a first-time deliver for a campaign + customer + step already messaged on
//   that channel.
import { randomUUID } from 'node:crypto';
import type { ChannelOperation } from '../channels/adapter';
import { canonicalJson, contentHash, type MaterialContent } from '../domain/material-content';

export interface ChannelStats {
  publishesAccepted: number;
  publishReplays: number;
  republishes: number;
  duplicatePlacements: number;
  readBacks: number;
  withdrawals: number;
  withdrawNoops: number;
  withdrawReplays: number;
  messagesDelivered: number;
  messageReplays: number;
  /** Batch delivery calls answered (each item is also counted as a single delivery would be). */
  deliveryBatches: number;
  duplicateMessages: number;
  droppedWrites: number;
  injectedErrors: number;
  injectedRejections: number;
  injectedTimeouts: number;
  driftedPlacements: number;
  livePlacements: number;
}

export const emptyStats = (): ChannelStats => ({
  publishesAccepted: 0,
  publishReplays: 0,
  republishes: 0,
  duplicatePlacements: 0,
  readBacks: 0,
  withdrawals: 0,
  withdrawNoops: 0,
  withdrawReplays: 0,
  messagesDelivered: 0,
  messageReplays: 0,
  deliveryBatches: 0,
  duplicateMessages: 0,
  droppedWrites: 0,
  injectedErrors: 0,
  injectedRejections: 0,
  injectedTimeouts: 0,
  driftedPlacements: 0,
  livePlacements: 0,
});

export interface StoredPlacement {
  placementId: string;
  campaignId: string;
  materialVersionId: string;
  content: MaterialContent;
  status: 'live' | 'withdrawn';
  externalRef: string;
  publishedAt: string;
  withdrawnAt?: string;
}

export interface StoredMessage {
  messageId: string;
  campaignId: string;
  customerRef: string;
  stepId: string;
  kind: 'education' | 'engagement';
  title: string;
  contentHash: string;
  deliveredAt: string;
}

/** The answer to a write, kept with its idempotency key so that a replay gets the same answer. */
export interface StoredAnswer {
  status: number;
  body?: Record<string, unknown>;
}

export type WriteOutcome = { kind: 'done' | 'replayed'; answer: StoredAnswer } | { kind: 'key_reused' };

export interface PublishInput {
  placementId: string;
  campaignId: string;
  materialVersionId: string;
  content: MaterialContent;
}

/** A delivered message in the order of delivery across all channels: what the since-cursor query reads. */
export interface LoggedMessage extends StoredMessage {
  /** 1, 2, 3, … in order of delivery across all channels, since the last reset. */
  seq: number;
  channelCode: string;
}

export interface DeliverInput {
  campaignId: string;
  customerRef: string;
  stepId: string;
  kind: 'education' | 'engagement';
  content: MaterialContent;
}

class ChannelState {
  readonly placements = new Map<string, StoredPlacement>();
  readonly messages = new Map<string, StoredMessage>();
  readonly messagedSteps = new Set<string>();
  readonly answers = new Map<string, { fingerprint: string; answer: StoredAnswer }>();
  readonly stats = emptyStats();
}

export class ChannelStore {
  private channels = new Map<string, ChannelState>();
  /** Every delivered message once, in order: seq n is at index n - 1, so a cursor query starts in O(1). */
  private messageLog: LoggedMessage[] = [];

  constructor(private readonly now: () => Date) {}

  reset(): void {
    this.channels = new Map();
    this.messageLog = [];
  }

  private channel(code: string): ChannelState {
    let state = this.channels.get(code);
    if (!state) this.channels.set(code, (state = new ChannelState()));
    return state;
  }

  count(code: string, counter: Exclude<keyof ChannelStats, 'livePlacements'>): void {
    this.channel(code).stats[counter] += 1;
  }

  /** Looks up an idempotency key; same key with a different request is refused (409). */
  private recall(state: ChannelState, op: ChannelOperation, key: string, fingerprint: string) {
    const seen = state.answers.get(`${op}\u0000${key}`);
    if (!seen) return undefined;
    return seen.fingerprint === fingerprint ? seen.answer : 'key_reused';
  }

  private remember(
    state: ChannelState,
    op: ChannelOperation,
    key: string,
    fingerprint: string,
    a: StoredAnswer,
  ) {
    state.answers.set(`${op}\u0000${key}`, { fingerprint, answer: a });
  }

  publish(code: string, key: string, input: PublishInput, opts: { drop: boolean }): WriteOutcome {
    const state = this.channel(code);
    const hash = contentHash(input.content);
    const fingerprint = canonicalJson({ ...input, content: hash });
    const seen = this.recall(state, 'publish', key, fingerprint);
    if (seen === 'key_reused') return { kind: 'key_reused' };
    if (seen) {
      state.stats.publishReplays += 1;
      return { kind: 'replayed', answer: { status: 200, body: { ...seen.body, replayed: true } } };
    }
    const publishedAt = this.now().toISOString();
    const answer = { status: 201, body: { externalRef: `sim-${randomUUID()}`, publishedAt } };
    // A lossy system answers as if it stored the placement, and forgets the key too.
    if (opts.drop) {
      state.stats.droppedWrites += 1;
      return { kind: 'done', answer };
    }
    const existing = state.placements.get(input.placementId);
    const duplicate = [...state.placements.values()].some(
      (p) =>
        p.status === 'live' &&
        p.campaignId === input.campaignId &&
        p.materialVersionId === input.materialVersionId &&
        (p.placementId !== input.placementId || contentHash(p.content) === hash),
    );
    if (duplicate) state.stats.duplicatePlacements += 1;
    if (existing?.status === 'live') state.stats.republishes += 1;
    state.stats.publishesAccepted += 1;
    state.placements.set(input.placementId, {
      ...input,
      content: structuredClone(input.content),
      status: 'live',
      externalRef: answer.body.externalRef,
      publishedAt,
    });
    this.remember(state, 'publish', key, fingerprint, answer);
    return { kind: 'done', answer };
  }

  readBack(code: string, placementId: string): StoredPlacement | undefined {
    const state = this.channel(code);
    state.stats.readBacks += 1;
    return state.placements.get(placementId);
  }

  withdraw(code: string, key: string, placementId: string, opts: { drop: boolean }): WriteOutcome {
    const state = this.channel(code);
    const fingerprint = canonicalJson({ placementId });
    const seen = this.recall(state, 'withdraw', key, fingerprint);
    if (seen === 'key_reused') return { kind: 'key_reused' };
    const answer = { status: 204 };
    if (seen) {
      state.stats.withdrawReplays += 1;
      return { kind: 'replayed', answer };
    }
    if (opts.drop) {
      state.stats.droppedWrites += 1;
      return { kind: 'done', answer };
    }
    const placement = state.placements.get(placementId);
    if (placement?.status === 'live') {
      placement.status = 'withdrawn';
      placement.withdrawnAt = this.now().toISOString();
      state.stats.withdrawals += 1;
    } else {
      // Withdrawing what is absent or already withdrawn succeeds: compensation must be repeatable.
      state.stats.withdrawNoops += 1;
    }
    this.remember(state, 'withdraw', key, fingerprint, answer);
    return { kind: 'done', answer };
  }

  deliver(code: string, messageId: string, input: DeliverInput, opts: { drop: boolean }): WriteOutcome {
    const state = this.channel(code);
    const hash = contentHash(input.content);
    const fingerprint = canonicalJson({ ...input, content: hash });
    const seen = this.recall(state, 'deliver', messageId, fingerprint);
    if (seen === 'key_reused') return { kind: 'key_reused' };
    if (seen) {
      state.stats.messageReplays += 1;
      return { kind: 'replayed', answer: { status: 200, body: { ...seen.body, replayed: true } } };
    }
    const deliveredAt = this.now().toISOString();
    const answer = { status: 201, body: { messageId, deliveredAt } };
    if (opts.drop) {
      state.stats.droppedWrites += 1;
      return { kind: 'done', answer };
    }
    const step = canonicalJson([input.campaignId, input.customerRef, input.stepId]);
    if (state.messagedSteps.has(step)) state.stats.duplicateMessages += 1;
    state.messagedSteps.add(step);
    state.stats.messagesDelivered += 1;
    // Only the title and hash are kept: a demo run can deliver hundreds of thousands of messages.
    const { content, ...rest } = input;
    const stored = { messageId, ...rest, title: content.title, contentHash: hash, deliveredAt };
    state.messages.set(messageId, stored);
    this.messageLog.push({ ...stored, seq: this.messageLog.length + 1, channelCode: code });
    this.remember(state, 'deliver', messageId, fingerprint, answer);
    return { kind: 'done', answer };
  }

  /** Alters the stored content of live placements (one channel or '*') so their hash changes. */
  drift(code: string, placementId?: string): number {
    let drifted = 0;
    const codes = code === '*' ? [...this.channels.keys()] : [code];
    for (const c of codes) {
      const state = this.channel(c);
      for (const p of state.placements.values()) {
        if (p.status !== 'live' || (placementId !== undefined && p.placementId !== placementId)) continue;
        // What a channel editor "tidying up" the copy looks like to us: same placement, other content.
        p.content = { ...p.content, body: `${p.content.body} [edited by channel]` };
        state.stats.driftedPlacements += 1;
        drifted += 1;
      }
    }
    return drifted;
  }

  stats(code: string): ChannelStats {
    const state = this.channels.get(code);
    if (!state) return emptyStats();
    const live = [...state.placements.values()].filter((p) => p.status === 'live').length;
    return { ...state.stats, livePlacements: live };
  }

  channelCodes(): string[] {
    return [...this.channels.keys()].sort();
  }

  placements(code: string): StoredPlacement[] {
    return [...(this.channels.get(code)?.placements.values() ?? [])];
  }

  /**
   * Messages delivered after `after` (a seq), oldest first, at most `limit` of those that match, and the
   * cursor to ask with next: the seq of the last message looked at (so messages of other campaigns are
   * skipped once, not on every poll). Costs what it reads, however many messages came before.
   */
  messagesSince(
    after: number,
    limit: number,
    match: (m: LoggedMessage) => boolean,
  ): { messages: LoggedMessage[]; cursor: number } {
    const found: LoggedMessage[] = [];
    let cursor = Math.max(0, Math.min(after, this.messageLog.length));
    while (cursor < this.messageLog.length && found.length < limit) {
      const message = this.messageLog[cursor] as LoggedMessage;
      cursor += 1;
      if (match(message)) found.push(message);
    }
    return { messages: found, cursor };
  }

  messages(code: string): StoredMessage[] {
    return [...(this.channels.get(code)?.messages.values() ?? [])];
  }
}
