// The simulator's own control surface under /_sim: counters that let tests prove "no duplicate
// placement, no duplicate message", what each channel stores, fault injection, and reset. Not part of
// the channel protocol: a real channel system has nothing like it.
import { Router } from 'express';
import { z } from 'zod';
import { contentHash } from '../domain/material-content';
import { FaultRuleSchema, type FaultRule } from './faults';
import { emptyStats, type ChannelStats } from './store';
import type { SimulatorContext } from './channel-routes';

export interface ControlContext extends SimulatorContext {
  /** Clears the store and the faults; a seed restarts the fault generator from that seed. */
  reset(seed?: number): void;
}

const ResetBodySchema = z.strictObject({ seed: z.int().optional() }).optional();

const MessageQuerySchema = z.object({
  campaignId: z.string().optional(),
  customerRef: z.string().optional(),
  stepId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
});

const MessagesSinceQuerySchema = z.object({
  campaignId: z.string().optional(),
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
});

const LASTING_EFFECTS = [
  'latencyMs',
  'errorRate',
  'failNext',
  'rejectNext',
  'timeoutNext',
  'dropWrites',
] as const;

/** A rule worth keeping: anything besides a one-off drift. */
function hasLastingEffect(rule: FaultRule): boolean {
  return LASTING_EFFECTS.some((effect) => (rule[effect] ?? 0) > 0);
}

function addStats(total: ChannelStats, s: ChannelStats): void {
  for (const key of Object.keys(total) as Array<keyof ChannelStats>) total[key] += s[key];
}

export function controlRoutes(ctx: ControlContext): Router {
  const router = Router();

  router.get('/_sim/stats', (_req, res) => {
    const channels: Record<string, ChannelStats> = {};
    const totals = emptyStats();
    for (const code of ctx.store.channelCodes()) {
      channels[code] = ctx.store.stats(code);
      addStats(totals, channels[code]);
    }
    res.json({ channels, totals });
  });

  router.get('/_sim/channels/:code/stats', (req, res) => {
    res.json(ctx.store.stats(req.params.code));
  });

  router.get('/_sim/channels/:code/placements', (req, res) => {
    const placements = ctx.store
      .placements(req.params.code)
      .map((p) => ({ ...p, contentHash: contentHash(p.content) }));
    res.json({ placements });
  });

  router.get('/_sim/channels/:code/messages', (req, res) => {
    const query = MessageQuerySchema.safeParse(req.query);
    if (!query.success) {
      res.status(400).json({ error: 'invalid_request', message: query.error.issues[0]?.message });
      return;
    }
    const { campaignId, customerRef, stepId, limit } = query.data;
    const messages = ctx.store
      .messages(req.params.code)
      .filter(
        (m) =>
          (campaignId === undefined || m.campaignId === campaignId) &&
          (customerRef === undefined || m.customerRef === customerRef) &&
          (stepId === undefined || m.stepId === stepId),
      );
    res.json({ count: messages.length, messages: messages.slice(0, limit) });
  });

  // Every channel's messages in order of delivery, after a cursor: how the traffic generator learns who
  // received what without re-reading everything on each poll (docs/channel-protocol.md, simulator).
  router.get('/_sim/messages', (req, res) => {
    const query = MessagesSinceQuerySchema.safeParse(req.query);
    if (!query.success) {
      const first = query.error.issues[0];
      res
        .status(400)
        .json({ error: 'invalid_request', message: `${first?.path.join('.')}: ${first?.message}` });
      return;
    }
    const { campaignId, after, limit } = query.data;
    const { messages, cursor } = ctx.store.messagesSince(
      after,
      limit,
      (m) => campaignId === undefined || m.campaignId === campaignId,
    );
    res.json({ count: messages.length, messages, cursor });
  });

  router.post('/_sim/reset', (req, res) => {
    const body = ResetBodySchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: 'invalid_request', message: body.error.issues[0]?.message });
      return;
    }
    ctx.reset(body.data?.seed);
    res.status(204).end();
  });

  router.get('/_sim/faults', (_req, res) => {
    res.json({ faults: ctx.faults().list() });
  });

  router.post('/_sim/faults', (req, res) => {
    const parsed = FaultRuleSchema.safeParse(req.body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      res
        .status(400)
        .json({ error: 'invalid_request', message: `${first?.path.join('.')}: ${first?.message}` });
      return;
    }
    const rule = parsed.data;
    const drifted = rule.drift ? ctx.store.drift(rule.channelCode, rule.placementId) : 0;
    const id = hasLastingEffect(rule) ? ctx.faults().add(rule) : null;
    res.status(201).json({ id, drifted });
  });

  router.delete('/_sim/faults', (req, res) => {
    const channelCode = typeof req.query.channelCode === 'string' ? req.query.channelCode : undefined;
    ctx.faults().clear(channelCode);
    res.status(204).end();
  });

  return router;
}
