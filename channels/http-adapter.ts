// ChannelAdapter over HTTP, speaking the channel content protocol in docs/channel-protocol.md (which
// the channel simulator implements). One attempt per call, bounded by a per-call timeout: retrying is
// Temporal's job (the activity's retry policy), and the idempotency key makes that retry safe.
// Every failure becomes a ChannelError whose `retryable` tells the activity whether to try again.
import { z } from 'zod';
import {
  ChannelError,
  errorKindForStatus,
  type BatchItemOutcome,
  type ChannelAdapter,
  type ChannelOperation,
  type DeliverBatchRequest,
  type DeliverRequest,
  type DeliveryReceipt,
  type PublishReceipt,
  type PublishRequest,
  type ReadBackResult,
  type WithdrawRequest,
} from './adapter';

export interface HttpChannelAdapterOptions {
  /** e.g. http://127.0.0.1:4100 (the simulator) or a channel system's content API root. */
  baseUrl: string;
  /** Per-call timeout, covering connect, response and body. Default 10 s. */
  timeoutMs?: number;
  /** Overrides per operation (publishing a big creative may deserve longer than a read-back). */
  timeoutsMs?: Partial<Record<ChannelOperation, number>>;
  /** Extra headers on every call, e.g. an Authorization header for a partner's API. */
  headers?: Record<string, string>;
  /** Messages per batch delivery call (the channel implements it); 1, the default: single calls only. */
  deliveryBatchSize?: number;
  /** For tests; defaults to Node's global fetch. */
  fetch?: typeof fetch;
}

export const DEFAULT_CHANNEL_TIMEOUT_MS = 10_000;

const PublishResponseSchema = z.object({
  externalRef: z.string().min(1),
  publishedAt: z.iso.datetime({ offset: true }),
  replayed: z.boolean().optional(),
});

const ReadBackResponseSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('live'),
    contentHash: z.string().regex(/^[0-9a-f]{64}$/),
    materialVersionId: z.string(),
  }),
  z.object({
    status: z.literal('withdrawn'),
    contentHash: z.string().optional(),
    materialVersionId: z.string(),
  }),
]);

const DeliverResponseSchema = z.object({
  messageId: z.string().min(1),
  deliveredAt: z.iso.datetime({ offset: true }),
  replayed: z.boolean().optional(),
});

const ErrorBodySchema = z.object({ error: z.string(), message: z.string().optional() });

// Each item is what the single call would have answered: its HTTP status and that call's body fields.
const BatchResponseSchema = z.object({
  results: z.array(
    z.object({
      idempotencyKey: z.string(),
      status: z.int().min(200).max(599),
      messageId: z.string().min(1).optional(),
      deliveredAt: z.iso.datetime({ offset: true }).optional(),
      error: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});

interface CallSpec {
  operation: ChannelOperation;
  channelCode: string;
  method: 'GET' | 'PUT' | 'DELETE' | 'POST';
  path: string;
  idempotencyKey?: string;
  body?: unknown;
}

interface CallResult {
  status: number;
  body: unknown;
}

export class HttpChannelAdapter implements ChannelAdapter {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  readonly deliveryBatchSize: number;

  constructor(private readonly options: HttpChannelAdapterOptions) {
    // A malformed base URL is configuration, not a channel outage: fail at construction, not per call.
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`channel base URL must be http(s): ${options.baseUrl}`);
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
    this.deliveryBatchSize = options.deliveryBatchSize ?? 1;
  }

  async publish(r: PublishRequest): Promise<PublishReceipt> {
    const { status, body } = await this.call({
      operation: 'publish',
      channelCode: r.channelCode,
      method: 'PUT',
      path: placementPath(r.channelCode, r.placementId),
      idempotencyKey: r.idempotencyKey,
      body: {
        campaignId: r.campaignId,
        materialVersionId: r.materialVersionId,
        contentHash: r.contentHash,
        content: r.content,
      },
    });
    const parsed = this.expect(PublishResponseSchema, body, 'publish', r.channelCode);
    // 201 = placed now; 200 = the channel had this key already (the protocol's replay answer).
    return { externalRef: parsed.externalRef, publishedAt: parsed.publishedAt, replayed: status === 200 };
  }

  async readBack(channelCode: string, placementId: string): Promise<ReadBackResult> {
    const { status, body } = await this.call({
      operation: 'readBack',
      channelCode,
      method: 'GET',
      path: placementPath(channelCode, placementId),
    });
    if (status === 404) return { present: false };
    const parsed = this.expect(ReadBackResponseSchema, body, 'readBack', channelCode);
    const result: ReadBackResult = {
      present: true,
      status: parsed.status,
      materialVersionId: parsed.materialVersionId,
    };
    // A withdrawn placement shows nothing, so it has no "hash of what is shown".
    if (parsed.status === 'live') result.contentHash = parsed.contentHash;
    return result;
  }

  async withdraw(r: WithdrawRequest): Promise<void> {
    await this.call({
      operation: 'withdraw',
      channelCode: r.channelCode,
      method: 'DELETE',
      path: placementPath(r.channelCode, r.placementId),
      idempotencyKey: r.idempotencyKey,
    });
  }

  async deliver(r: DeliverRequest): Promise<DeliveryReceipt> {
    const { status, body } = await this.call({
      operation: 'deliver',
      channelCode: r.channelCode,
      method: 'POST',
      path: `/channels/${encodeURIComponent(r.channelCode)}/messages`,
      idempotencyKey: r.idempotencyKey,
      body: {
        campaignId: r.campaignId,
        customerRef: r.customerRef,
        stepId: r.stepId,
        kind: r.kind,
        content: r.content,
      },
    });
    const parsed = this.expect(DeliverResponseSchema, body, 'deliver', r.channelCode);
    return { messageId: parsed.messageId, deliveredAt: parsed.deliveredAt, replayed: status === 200 };
  }

  /**
   * Delivers one message to many customers in one call (docs/channel-protocol.md, "Batch delivery").
   * The call as a whole fails like any other (timeout, 5xx, …: thrown); each item carries its own
   * outcome, which is exactly what a single `deliver` with its key would have answered.
   */
  async deliverBatch(r: DeliverBatchRequest): Promise<BatchItemOutcome[]> {
    if (r.messages.length === 0) return [];
    const { body } = await this.call({
      operation: 'deliver',
      channelCode: r.channelCode,
      method: 'POST',
      path: `/channels/${encodeURIComponent(r.channelCode)}/messages/batch`,
      body: {
        campaignId: r.campaignId,
        stepId: r.stepId,
        kind: r.kind,
        content: r.content,
        messages: r.messages,
      },
    });
    const { results } = this.expect(BatchResponseSchema, body, 'deliver', r.channelCode);
    const broken = (why: string) =>
      new ChannelError(`deliver batch on channel ${r.channelCode}: response breaks the protocol (${why})`, {
        kind: 'protocol',
        channelCode: r.channelCode,
        operation: 'deliver',
      });
    if (results.length !== r.messages.length)
      throw broken(`${results.length} results for ${r.messages.length} messages`);
    return results.map((item, i): BatchItemOutcome => {
      const key = r.messages[i]!.idempotencyKey;
      if (item.idempotencyKey !== key)
        throw broken(`result ${i} is for key ${item.idempotencyKey}, not ${key}`);
      if (item.status === 200 || item.status === 201) {
        if (!item.messageId || !item.deliveredAt) throw broken(`result ${i} has no messageId or deliveredAt`);
        const receipt = {
          messageId: item.messageId,
          deliveredAt: item.deliveredAt,
          replayed: item.status === 200,
        };
        return { ok: true, receipt };
      }
      const detail = item.error ? `${item.error}: ${item.message ?? ''}` : `HTTP ${item.status}`;
      return {
        ok: false,
        error: new ChannelError(
          `deliver to ${key} on channel ${r.channelCode} failed with ${item.status} (${detail})`,
          {
            kind: errorKindForStatus(item.status),
            channelCode: r.channelCode,
            operation: 'deliver',
            status: item.status,
            code: item.error,
          },
        ),
      };
    });
  }

  private timeoutFor(operation: ChannelOperation): number {
    return this.options.timeoutsMs?.[operation] ?? this.options.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS;
  }

  /** One HTTP exchange; resolves for 2xx and for 404 on read-back, throws ChannelError otherwise. */
  private async call(spec: CallSpec): Promise<CallResult> {
    const timeoutMs = this.timeoutFor(spec.operation);
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    const where = `${spec.operation} on channel ${spec.channelCode}`;
    let status: number;
    let text: string;
    try {
      // The same signal bounds the body read: a channel that sends headers and then stalls still times out.
      const response = await this.fetchImpl(this.baseUrl + spec.path, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw transportError(error, where, timeoutMs, spec);
    }
    const body = parseJson(text);
    if (status >= 200 && status < 300) return { status, body };
    if (status === 404 && spec.operation === 'readBack') return { status, body };
    const errorBody = ErrorBodySchema.safeParse(body);
    const code = errorBody.success ? errorBody.data.error : undefined;
    const detail = errorBody.success
      ? `${errorBody.data.error}: ${errorBody.data.message ?? ''}`
      : text.slice(0, 200);
    throw new ChannelError(`${where} failed with HTTP ${status} (${detail})`, {
      kind: errorKindForStatus(status),
      channelCode: spec.channelCode,
      operation: spec.operation,
      status,
      code,
    });
  }

  private expect<T>(
    schema: z.ZodType<T>,
    body: unknown,
    operation: ChannelOperation,
    channelCode: string,
  ): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new ChannelError(`${operation} on channel ${channelCode}: response breaks the protocol`, {
      kind: 'protocol',
      channelCode,
      operation,
      cause: parsed.error,
    });
  }
}

function placementPath(channelCode: string, placementId: string): string {
  return `/channels/${encodeURIComponent(channelCode)}/placements/${encodeURIComponent(placementId)}`;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Reads a property of a thrown value without `instanceof`, which fails across realms (vm, jest). */
function prop(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function transportError(error: unknown, where: string, timeoutMs: number, spec: CallSpec): ChannelError {
  const base = { channelCode: spec.channelCode, operation: spec.operation, cause: error };
  const name = prop(error, 'name');
  // AbortSignal.timeout aborts with a DOMException named TimeoutError.
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ChannelError(`${where} timed out after ${timeoutMs} ms`, { ...base, kind: 'timeout' });
  }
  // undici reports refused/reset connections as TypeError('fetch failed') with the socket error as cause.
  const detail = prop(prop(error, 'cause'), 'code') ?? prop(error, 'message') ?? String(error);
  return new ChannelError(`${where}: connection failed (${String(detail)})`, { ...base, kind: 'network' });
}
