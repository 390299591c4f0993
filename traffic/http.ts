// How the traffic generator talks HTTP: only to loopback addresses unless told otherwise, with a timeout on
// every call, and with retries that resend exactly the same body under the same Idempotency-Key — so a
// batch whose answer was lost (a timeout, a dropped connection, a 5xx) is stored once however often it is
// retried: the API replays its stored reply, and every item is idempotent by its own key besides.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';

export class NonLoopbackError extends Error {}

/** localhost, 127.0.0.0/8 and ::1: the only hosts the generator sends to unless allowNonLoopback. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.split('.')[0] === '127';
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  return false;
}

export function assertLoopback(name: string, url: string, allowNonLoopback: boolean): void {
  try {
    new URL(url);
  } catch {
    throw new NonLoopbackError(`${name} "${url}" is not a URL`);
  }
  if (!allowNonLoopback && !isLoopbackUrl(url)) {
    throw new NonLoopbackError(
      `${name} ${url} is not a loopback address: the traffic generator sends only to 127.0.0.0/8, ::1 or ` +
        'localhost unless allowNonLoopback (--allow-non-loopback) is given',
    );
  }
}

/** A call that ended without an answer worth keeping: the caller decides whether to go on. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 8,
  firstDelayMs: 200,
  maxDelayMs: 5_000,
  timeoutMs: 15_000,
};

/** Answers that say "try again": the request may or may not have been carried out. */
const RETRYABLE = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

export interface JsonClient {
  get(url: string): Promise<unknown>;
  /** Posts the body; retries send the identical body with the same Idempotency-Key. */
  post(url: string, body: unknown): Promise<{ status: number; body: unknown; attempts: number }>;
}

export interface JsonClientOptions {
  headers?: Record<string, string>;
  retry?: Partial<RetryPolicy>;
  /** Stops retrying (the generator is stopping). */
  cancelled?: () => boolean;
  onRetry?: (info: { url: string; attempt: number; reason: string }) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function jsonClient(options: JsonClientOptions = {}): JsonClient {
  const policy = { ...DEFAULT_RETRY, ...options.retry };

  async function call(
    url: string,
    init: RequestInit,
  ): Promise<{ status: number; body: unknown; attempts: number }> {
    let last = '';
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      if (attempt > 1) {
        if (options.cancelled?.()) break;
        options.onRetry?.({ url, attempt, reason: last });
        await sleep(Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 2)));
      }
      let response: Response;
      try {
        response = await fetch(url, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
      } catch (err) {
        last = String((err as { cause?: unknown }).cause ?? err);
        continue;
      }
      const text = await response.text().catch(() => '');
      const body = parseJson(text);
      if (RETRYABLE.has(response.status)) {
        last = `HTTP ${response.status}`;
        continue;
      }
      return { status: response.status, body, attempts: attempt };
    }
    throw new HttpError(`${init.method ?? 'GET'} ${url} failed after retries: ${last}`, null, null);
  }

  return {
    async get(url) {
      const { status, body } = await call(url, { method: 'GET', headers: options.headers });
      if (status >= 400)
        throw new HttpError(`GET ${url} answered ${status}: ${describe(body)}`, status, body);
      return body;
    },
    post(url, body) {
      const text = JSON.stringify(body);
      const key = `tg-${createHash('sha256').update(`${url}\n${text}`).digest('hex').slice(0, 48)}`;
      return call(url, {
        method: 'POST',
        headers: { ...options.headers, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: text,
      });
    },
  };
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function describe(body: unknown): string {
  if (body && typeof body === 'object' && 'detail' in body)
    return String((body as { detail: unknown }).detail);
  return typeof body === 'string' ? body.slice(0, 200) : (JSON.stringify(body)?.slice(0, 200) ?? '');
}
