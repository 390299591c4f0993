// The interface every channel adapter implements (HTTP channel systems, the simulator, offline task
// queues), and the one error type adapters throw. Every call that changes something carries an
// idempotency key chosen by the caller, so that Temporal's retries of an activity can never place the
// same material twice or send a customer the same message twice.
import type { MaterialContent } from '../domain/material-content';

export type ChannelOperation = 'publish' | 'readBack' | 'withdraw' | 'deliver';

export interface PublishRequest {
  idempotencyKey: string;
  channelCode: string;
  placementId: string;
  campaignId: string;
  materialVersionId: string;
  /** contentHash(content); the channel recomputes it and refuses a mismatch. */
  contentHash: string;
  content: MaterialContent;
}

export interface PublishReceipt {
  externalRef: string;
  /** ISO-8601 */
  publishedAt: string;
  /** true if the channel had already seen this idempotency key (nothing new was placed). */
  replayed: boolean;
}

export interface ReadBackResult {
  present: boolean;
  status?: 'live' | 'withdrawn';
  /** Hash of what the channel shows NOW, computed by the channel from its stored content. */
  contentHash?: string;
  materialVersionId?: string;
}

export interface WithdrawRequest {
  idempotencyKey: string;
  channelCode: string;
  placementId: string;
}

export interface DeliverRequest {
  /** The message id; derive it from campaign, customer and step so a retry reuses it. */
  idempotencyKey: string;
  channelCode: string;
  campaignId: string;
  customerRef: string;
  stepId: string;
  kind: 'education' | 'engagement';
  content: MaterialContent;
}

export interface DeliveryReceipt {
  messageId: string;
  deliveredAt: string;
  replayed: boolean;
}

/** One message to many customers: what a step sends to a page of its cohort in one call. */
export interface DeliverBatchRequest {
  channelCode: string;
  campaignId: string;
  stepId: string;
  kind: 'education' | 'engagement';
  content: MaterialContent;
  /** Each with its own idempotency key (the message id), exactly as in a single `deliver`. */
  messages: readonly { idempotencyKey: string; customerRef: string }[];
}

/** A batch item's outcome, in request order: the same answer a single `deliver` would have given. */
export type BatchItemOutcome = { ok: true; receipt: DeliveryReceipt } | { ok: false; error: ChannelError };

export interface ChannelAdapter {
  publish(request: PublishRequest): Promise<PublishReceipt>;
  readBack(channelCode: string, placementId: string): Promise<ReadBackResult>;
  /** Withdrawing what is not (or no longer) there succeeds: compensation must be safe to repeat. */
  withdraw(request: WithdrawRequest): Promise<void>;
  deliver(request: DeliverRequest): Promise<DeliveryReceipt>;
  /**
   * Messages per `deliverBatch` call for this channel; 1 (or absent) when the channel only takes
   * single deliveries. A failure of the whole call throws; a failure of one item is in its outcome.
   */
  readonly deliveryBatchSize?: number;
  deliverBatch?(request: DeliverBatchRequest): Promise<BatchItemOutcome[]>;
}

/**
 * Why a channel call failed. `kind` drives `retryable`:
 * - timeout, network (connection refused/reset), unavailable (5xx, 408, 429): retryable — the
 *   channel may well accept the same idempotent call a moment later.
 * - rejected (other 4xx: invalid content, idempotency key reused with a different body, auth):
 *   not retryable — repeating the same request gets the same answer; a person must act.
 * - protocol (a 2xx whose body breaks the contract): not retryable — the channel system is
 *   misbehaving or misconfigured, and retrying hides that.
 * Activities map `retryable: false` to Temporal's non-retryable ApplicationFailure (type = `type`).
 */
export type ChannelErrorKind = 'timeout' | 'network' | 'unavailable' | 'rejected' | 'protocol';

const ERROR_TYPES: Record<ChannelErrorKind, string> = {
  timeout: 'ChannelTimeout',
  network: 'ChannelUnreachable',
  unavailable: 'ChannelUnavailable',
  rejected: 'ChannelRejected',
  protocol: 'ChannelProtocolError',
};

export interface ChannelErrorDetails {
  kind: ChannelErrorKind;
  channelCode: string;
  operation: ChannelOperation;
  /** HTTP status when the channel answered. */
  status?: number;
  /** Machine-readable code from the channel's error body, when it sent one. */
  code?: string;
  cause?: unknown;
}

export class ChannelError extends Error {
  override name = 'ChannelError';
  readonly kind: ChannelErrorKind;
  readonly retryable: boolean;
  readonly channelCode: string;
  readonly operation: ChannelOperation;
  readonly status: number | undefined;
  readonly code: string | undefined;

  constructor(message: string, details: ChannelErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.retryable = isRetryableKind(details.kind);
    this.channelCode = details.channelCode;
    this.operation = details.operation;
    this.status = details.status;
    this.code = details.code;
  }

  /** A stable name for Temporal's ApplicationFailure `type`, so retry policies can list it. */
  get type(): string {
    return ERROR_TYPES[this.kind];
  }
}

export function isRetryableKind(kind: ChannelErrorKind): boolean {
  return kind === 'timeout' || kind === 'network' || kind === 'unavailable';
}

/** 408 (request timeout) and 429 (rate limited) are 4xx that a later retry can get past. */
export function errorKindForStatus(status: number): ChannelErrorKind {
  if (status >= 500 || status === 408 || status === 429) return 'unavailable';
  if (status >= 400) return 'rejected';
  return 'protocol';
}
