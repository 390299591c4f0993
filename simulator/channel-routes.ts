// The channel content protocol (docs/channel-protocol.md) as the simulator serves it, for any channel
// code: publish (PUT placement), read back (GET), withdraw (DELETE), deliver (POST message). Each
// call first asks the fault book what to do to it, so tests can make any channel misbehave.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ChannelOperation } from '../channels/adapter';
import { MAX_DELIVERY_BATCH } from '../domain/channel';
import { contentHash, MaterialContentSchema } from '../domain/material-content';
import type { FaultBook } from './faults';
import type { ChannelStore, StoredAnswer, WriteOutcome } from './store';

export interface SimulatorContext {
  store: ChannelStore;
  faults: () => FaultBook;
}

const Id = z.string().min(1).max(200);

const PublishBodySchema = z.strictObject({
  campaignId: Id,
  materialVersionId: Id,
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  content: MaterialContentSchema,
});

const DeliverBodySchema = z.strictObject({
  campaignId: Id,
  customerRef: Id,
  stepId: Id,
  kind: z.enum(['education', 'engagement']),
  content: MaterialContentSchema,
});

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const DeliverBatchBodySchema = z
  .strictObject({
    campaignId: Id,
    stepId: Id,
    kind: z.enum(['education', 'engagement']),
    content: MaterialContentSchema,
    messages: z
      .array(z.strictObject({ idempotencyKey: z.string().regex(IDEMPOTENCY_KEY), customerRef: Id }))
      .min(1)
      .max(MAX_DELIVERY_BATCH),
  })
  .refine((body) => new Set(body.messages.map((m) => m.idempotencyKey)).size === body.messages.length, {
    message: 'idempotency keys repeat within the batch',
    path: ['messages'],
  });

const problem = (status: number, error: string, message: string): StoredAnswer => ({
  status,
  body: { error, message },
});

function invalid(error: z.ZodError): StoredAnswer {
  const first = error.issues[0];
  return problem(
    400,
    'invalid_request',
    first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'invalid',
  );
}

function idempotencyKeyOf(req: Request): string | StoredAnswer {
  const key = req.get('idempotency-key');
  if (key !== undefined && IDEMPOTENCY_KEY.test(key)) return key;
  return problem(
    400,
    'idempotency_key_required',
    'an Idempotency-Key header (1-255 visible ASCII) is required',
  );
}

function answerFor(outcome: WriteOutcome): StoredAnswer {
  if (outcome.kind === 'key_reused') {
    return problem(409, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request');
  }
  return outcome.answer;
}

/** Resolves after ms, or as soon as the client goes away (so hung requests end with the socket). */
function wait(res: Response, ms: number): Promise<void> {
  if (ms <= 0 || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
    res.once('close', done);
  });
}

const gone = (res: Response) => res.destroyed || res.writableEnded;

function send(res: Response, answer: StoredAnswer): void {
  if (gone(res)) return;
  if (answer.body === undefined) res.status(answer.status).end();
  else res.status(answer.status).json(answer.body);
}

/**
 * Applies the fault decision, then runs the operation. `operate` gets `drop` (answer success, store
 * nothing) and returns the answer; with timeoutMode 'after' it runs and its answer is never sent.
 */
async function handle(
  ctx: SimulatorContext,
  req: Request,
  res: Response,
  operation: ChannelOperation,
  operate: (drop: boolean) => StoredAnswer,
): Promise<void> {
  const channelCode = String(req.params.channelCode);
  res.locals.channelCode = channelCode;
  const decision = ctx.faults().decide(channelCode, operation);
  if (decision.action !== 'none') res.locals.fault = decision.action;
  await wait(res, decision.latencyMs);
  if (gone(res)) return;
  switch (decision.action) {
    case 'fail':
      ctx.store.count(channelCode, 'injectedErrors');
      return send(res, problem(503, 'injected_unavailable', 'channel unavailable (injected)'));
    case 'error':
      ctx.store.count(channelCode, 'injectedErrors');
      return send(res, problem(500, 'injected_error', 'channel error (injected)'));
    case 'reject':
      ctx.store.count(channelCode, 'injectedRejections');
      return send(res, problem(422, 'injected_rejection', 'channel refused the request (injected)'));
    case 'timeout':
      ctx.store.count(channelCode, 'injectedTimeouts');
      if (decision.timeoutMode === 'after') operate(false);
      await wait(res, decision.hangMs);
      return send(res, problem(504, 'injected_timeout', 'channel did not answer in time (injected)'));
    case 'drop':
      return send(res, operate(true));
    case 'none':
      return send(res, operate(false));
  }
}

export function channelRoutes(ctx: SimulatorContext): Router {
  const router = Router();
  const placement = '/channels/:channelCode/placements/:placementId';

  router.put(placement, (req, res) =>
    handle(ctx, req, res, 'publish', (drop) => {
      const key = idempotencyKeyOf(req);
      if (typeof key !== 'string') return key;
      const body = PublishBodySchema.safeParse(req.body);
      if (!body.success) return invalid(body.error);
      const { contentHash: claimed, ...rest } = body.data;
      // A channel that stored something other than what we meant must say so now, not at read-back.
      if (contentHash(rest.content) !== claimed) {
        return problem(
          422,
          'content_hash_mismatch',
          'contentHash does not match the canonical hash of content',
        );
      }
      const input = { placementId: String(req.params.placementId), ...rest };
      return answerFor(ctx.store.publish(String(req.params.channelCode), key, input, { drop }));
    }),
  );

  router.get(placement, (req, res) =>
    handle(ctx, req, res, 'readBack', () => {
      const stored = ctx.store.readBack(String(req.params.channelCode), String(req.params.placementId));
      if (!stored) return problem(404, 'placement_not_found', 'no such placement on this channel');
      const body: Record<string, unknown> = {
        status: stored.status,
        materialVersionId: stored.materialVersionId,
      };
      // The hash is computed from what is stored now, so drift shows up here.
      if (stored.status === 'live') body.contentHash = contentHash(stored.content);
      return { status: 200, body };
    }),
  );

  router.delete(placement, (req, res) =>
    handle(ctx, req, res, 'withdraw', (drop) => {
      const key = idempotencyKeyOf(req);
      if (typeof key !== 'string') return key;
      const outcome = ctx.store.withdraw(
        String(req.params.channelCode),
        key,
        String(req.params.placementId),
        {
          drop,
        },
      );
      return answerFor(outcome);
    }),
  );

  router.post('/channels/:channelCode/messages', (req, res) =>
    handle(ctx, req, res, 'deliver', (drop) => {
      const key = idempotencyKeyOf(req);
      if (typeof key !== 'string') return key;
      const body = DeliverBodySchema.safeParse(req.body);
      if (!body.success) return invalid(body.error);
      return answerFor(ctx.store.deliver(String(req.params.channelCode), key, body.data, { drop }));
    }),
  );

  // One message to many customers. The call is one 'deliver' for the fault book (latency, errors,
  // timeouts and dropped writes apply to the batch as a whole); each item is then handled exactly as
  // a single delivery with its key, and answered with that delivery's status and body.
  router.post('/channels/:channelCode/messages/batch', (req, res) =>
    handle(ctx, req, res, 'deliver', (drop) => {
      const body = DeliverBatchBodySchema.safeParse(req.body);
      if (!body.success) return invalid(body.error);
      const code = String(req.params.channelCode);
      const { messages, ...message } = body.data;
      ctx.store.count(code, 'deliveryBatches');
      const results = messages.map(({ idempotencyKey, customerRef }) => {
        const answer = answerFor(
          ctx.store.deliver(code, idempotencyKey, { ...message, customerRef }, { drop }),
        );
        return { idempotencyKey, status: answer.status, ...(answer.body as object) };
      });
      return { status: 200, body: { results } };
    }),
  );

  return router;
}
