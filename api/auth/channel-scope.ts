// A channel-system key ingests for its own channels only. Runs after the body is parsed and before the
// ingest handler: a registration or delivery report naming another channel, or an event for a customer
// who registered through another channel, refuses the whole request (403) — a misconfigured channel system then
// notices at once instead of finding some items silently dropped. Malformed items are left to the
// handler, which names their errors (400).
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
    // Registrations and delivery reports name their channel; events name a customer, whose
    // registration names it.
    const errors =
      scope === 'events'
        ? await foreignEvents(db, resolved.params.id ?? '', items, own)
        : foreignChannelCodes(items, own);
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

function foreignChannelCodes(items: ReturnType<typeof bodyItems>, own: Set<string>): FieldError[] {
  return items.flatMap(({ at, item }) =>
    typeof item.channelCode === 'string' && !own.has(item.channelCode)
      ? [
          {
            field: `${at}channelCode`,
            message: `channel "${item.channelCode}" is not one of this key's channels`,
          },
        ]
      : [],
  );
}

async function foreignEvents(
  db: Db,
  campaignId: string,
  items: ReturnType<typeof bodyItems>,
  own: Set<string>,
): Promise<FieldError[]> {
  const refs = [...new Set(items.map(({ item }) => item.customerRef).filter((r) => typeof r === 'string'))];
  if (refs.length === 0) return [];
  const registrations = await db.registration.findMany({
    where: { campaignId, customerRef: { in: refs as string[] } },
    select: { customerRef: true, channelId: true },
  });
  const channels = await db.channel.findMany({
    where: { id: { in: [...new Set(registrations.map((r) => r.channelId))] } },
    select: { id: true, code: true },
  });
  const codeOf = new Map(channels.map((c) => [c.id, c.code]));
  // Customers not registered at all are the handler's to refuse (422 unknown customer), as for anyone.
  const foreign = new Set(
    registrations.filter((r) => !own.has(codeOf.get(r.channelId) ?? '')).map((r) => r.customerRef),
  );
  return items.flatMap(({ at, item }) =>
    typeof item.customerRef === 'string' && foreign.has(item.customerRef)
      ? [{ field: `${at}customerRef`, message: 'this customer registered through another channel' }]
      : [],
  );
}
