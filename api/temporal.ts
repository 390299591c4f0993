// The API's view of Temporal: a client plus the settings it needs to start and reach workflows, and
// the one way every request reaches it — under a deadline, so that an unreachable or stalled Temporal
// is answered 503 + Retry-After in bounded time instead of holding the request open (issue 14, build 4).
import type { Client } from '@temporalio/client';

export interface TemporalDeadlines {
  /** One call that needs only the Temporal server: start, describe, query, history, list, signal. */
  callMs: number;
  /**
   * An update until the workflow accepted or refused it: that needs a worker to run a workflow task
   * as well, so it is given longer than a plain call.
   */
  updateAcceptedMs: number;
}

export const DEFAULT_TEMPORAL_DEADLINES: TemporalDeadlines = { callMs: 5_000, updateAcceptedMs: 10_000 };

export interface TemporalDeps {
  client: Client;
  namespace: string;
  taskQueue: string;
  /** Overrides of DEFAULT_TEMPORAL_DEADLINES (tests shorten them). */
  deadlines?: Partial<TemporalDeadlines>;
}

export function deadlinesOf(temporal: TemporalDeps): TemporalDeadlines {
  return { ...DEFAULT_TEMPORAL_DEADLINES, ...temporal.deadlines };
}

/**
 * Temporal did not answer within the deadline. Carries gRPC's DEADLINE_EXCEEDED code (4), which
 * api/problem.ts maps to the retryable 503 `dependency-unavailable`.
 */
export class TemporalDeadlineError extends Error {
  override readonly name = 'TemporalDeadlineError';
  readonly code = 4;
  constructor(
    readonly ms: number,
    /**
     * False when the connection to Temporal was never ready during the call: no request can have
     * reached the server. True otherwise — the request may have arrived and may still take effect.
     */
    readonly mayHaveArrived: boolean,
    options?: { cause?: unknown },
  ) {
    super(`Temporal did not answer within ${ms} ms (DEADLINE_EXCEEDED)`, options);
  }
}

/** grpc-js's connectivityState.READY (the channel's HTTP/2 session is up). */
const CHANNEL_READY = 2;
interface GrpcChannel {
  getConnectivityState(tryToConnect: boolean): number;
  watchConnectivityState(current: number, deadline: Date, callback: (error?: Error) => void): void;
}

/**
 * Watches whether the client's channel is ready at any moment until `stop()`: a request is only
 * sent on a ready channel. Best effort: a client without a grpc-js channel counts as "was ready".
 */
function watchReadiness(temporal: TemporalDeps, until: Date): { wasReady: () => boolean; stop: () => void } {
  // The SDK keeps its grpc-js client protected; it is read here only to ask the channel's state.
  const grpcClient = (
    temporal.client.connection as unknown as { client?: { getChannel?: () => GrpcChannel } }
  ).client;
  const channel = grpcClient?.getChannel?.();
  if (!channel) return { wasReady: () => true, stop: () => undefined };
  let ready = channel.getConnectivityState(false) === CHANNEL_READY;
  let stopped = false;
  const watch = (current: number) =>
    channel.watchConnectivityState(current, until, (error) => {
      if (stopped || error) return;
      const next = channel.getConnectivityState(false);
      if (next === CHANNEL_READY) ready = true;
      watch(next);
    });
  watch(channel.getConnectivityState(false));
  return { wasReady: () => ready, stop: () => (stopped = true) };
}

/**
 * Runs `fn`'s Temporal calls under a deadline `ms` from now. Both a gRPC deadline (the server stops
 * waiting, and the SDK's retry interceptor stops retrying) and an abort signal (which also ends a
 * call still waiting for a connection: the lazy connection's own connect deadline would otherwise
 * replace ours) — whichever comes first ends the call with a TemporalDeadlineError.
 */
export async function withinDeadline<T>(
  temporal: TemporalDeps,
  fn: () => Promise<T>,
  ms: number = deadlinesOf(temporal).callMs,
): Promise<T> {
  const connection = temporal.client.connection;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  timer.unref();
  const readiness = watchReadiness(temporal, new Date(Date.now() + ms + 1000));
  try {
    return await connection.withAbortSignal(controller.signal, () =>
      connection.withDeadline(Date.now() + ms, fn),
    );
  } catch (err) {
    if (controller.signal.aborted || isDeadlineExceeded(err))
      throw new TemporalDeadlineError(ms, readiness.wasReady(), { cause: err });
    throw err;
  } finally {
    clearTimeout(timer);
    readiness.stop();
  }
}

/** gRPC DEADLINE_EXCEEDED anywhere in the cause chain (the SDK wraps it for updates). */
function isDeadlineExceeded(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === 4) return true;
    if ((e as { name?: unknown }).name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return true;
  }
  return false;
}
