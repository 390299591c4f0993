// A channel-system key ingests for its own channels only. Runs after the body is parsed and before the
// ingest handler: a registration or delivery report naming another channel refuses the whole request
// (403) — a misconfigured channel system then notices at once instead of finding some items silently
// dropped. An event for a customer who registered through another channel is answered exactly as for a
// customer not registered at all (422 customer_not_registered): a 403 there would tell a channel system
// who registered elsewhere. Malformed items are left to the handler, which names their errors (400).
import type { RequestHandler } from 'express';
import type { Db } from '../../db/client';
import { Problem, type FieldError } from '../problem';
import type { ResolvedPolicy } from './policy';
import { principalOf } from './principal';

export function channelScope(db: Db): RequestHandler {
  return async (req, res, next) => {
    const resolved = res.locals.policy as ResolvedPolicy | null | undefined;
    const principal = principalOf(res);
    const scope = resolved?.entry.channelScope;
    if (!scope || principal?.role !== 'channel-system') return next();
    const own = new Set(principal.channelIds);
    const items = bodyItems(req.body);
    // Events name a customer, whose registration names the channel: hidden from this key, not refused.
    if (scope === 'events') {
      res.locals.hiddenCustomerRefs = await foreignCustomers(db, resolved.params.id ?? '', items, own);
      return next();
    }
    // Registrations and delivery reports name their channel.
    const errors = foreignChannelCodes(items, own);
    if (errors.length > 0) {
      throw new Problem(
        403,
        'Forbidden',
        `this key ingests for its own channels only (${[...own].join(', ')})`,
        { errors },
      );
    }
    next();
  };
}

/** The items of a single-item or `{ items: [...] }` body, with the field prefix errors should use. */
function bodyItems(body: unknown): { at: string; item: Record<string, unknown> }[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(body)) return [];
  if (!('items' in body)) return [{ at: '', item: body }];
  if (!Array.isArray(body.items)) return [];
  return body.items.flatMap((item, i) => (isObject(item) ? [{ at: `items.${i}.`, item }] : []));
}

// A registration's touches too: a channel system knows its own impressions and clicks, and one that
// reported touches on other channels would hand them the credit (and their fees). Cross-channel touches
// come from the bank's own measurement, with a bank key.
function foreignChannelCodes(items: ReturnType<typeof bodyItems>, own: Set<string>): FieldError[] {
  const foreign = (field: string, code: unknown): FieldError[] =>
    typeof code === 'string' && !own.has(code)
      ? [{ field, message: `channel "${code}" is not one of this key's channels` }]
      : [];
  return items.flatMap(({ at, item }) => [
    ...foreign(`${at}channelCode`, item.channelCode),
    ...(Array.isArray(item.touches) ? item.touches : []).flatMap((touch: unknown, j) =>
      typeof touch === 'object' && touch !== null
        ? foreign(`${at}touches.${j}.channelCode`, (touch as Record<string, unknown>).channelCode)
        : [],
    ),
  ]);
}

/** Customers of these items who registered through a channel that is not this key's. */
async function foreignCustomers(
  db: Db,
  campaignId: string,
  items: ReturnType<typeof bodyItems>,
  own: Set<string>,
): Promise<Set<string>> {
  const refs = [
    ...new Set(items.map(({ item }) => item.customerRef).filter((r): r is string => typeof r === 'string')),
  ];
  if (refs.length === 0 || !/^[0-9a-f-]{36}$/i.test(campaignId)) return new Set();
  const registrations = await db.registration.findMany({
    where: { campaignId, customerRef: { in: refs } },
    select: { customerRef: true, channelId: true, reportedChannelId: true },
  });
  // The customer belongs to the channel that reported the registration, whichever one it was credited to.
  const reporter = (r: (typeof registrations)[number]) => r.reportedChannelId ?? r.channelId;
  const channels = await db.channel.findMany({
    where: { id: { in: [...new Set(registrations.map(reporter))] } },
    select: { id: true, code: true },
  });
  const codeOf = new Map(channels.map((c) => [c.id, c.code]));
  return new Set(
    registrations.filter((r) => !own.has(codeOf.get(reporter(r)) ?? '')).map((r) => r.customerRef),
  );
}
