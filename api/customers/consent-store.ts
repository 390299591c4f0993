// A customer's consent to marketing (PIPL): appended records, the latest per scope in force, written under
// the customer's contact lock (activities/contact-reservation.ts) so that a delivery decision either comes
// entirely before an opt-out or sees it. A channel system records consent for its own channels only.
import type { Db } from '../../db/client';
import { lockCustomerContacts } from '../../activities/contact-reservation';
import type { Principal } from '../auth/principal';
import { Problem } from '../problem';
import type { ConsentRequest } from './schemas';

export interface ConsentView {
  scope: string;
  decision: 'opt_in' | 'opt_out';
  source: string;
  actor: string;
  reason: string | null;
  recordedAt: string;
}

const view = (r: {
  scope: string;
  decision: string;
  source: string;
  actor: string;
  reason: string | null;
  recordedAt: Date;
}): ConsentView => ({
  scope: r.scope,
  decision: r.decision as ConsentView['decision'],
  source: r.source,
  actor: r.actor,
  reason: r.reason,
  recordedAt: r.recordedAt.toISOString(),
});

/** The consent in force per scope ('all' and channel codes), and the full history, newest first. */
export async function consentsOf(db: Pick<Db, 'consentRecord'>, customerRef: string) {
  const rows = await db.consentRecord.findMany({
    where: { customerRef },
    orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
  });
  const current = new Map<string, ConsentView>();
  for (const row of rows) if (!current.has(row.scope)) current.set(row.scope, view(row));
  return { current: [...current.values()], history: rows.map(view) };
}

export async function recordConsent(
  db: Db,
  customerRef: string,
  body: ConsentRequest,
  principal: Principal,
  now: Date,
) {
  const scope = body.channelCode ?? 'all';
  if (principal.role === 'channel-system') {
    if (body.channelCode === undefined || !principal.channelIds.includes(body.channelCode)) {
      throw new Problem(403, 'Forbidden', 'a channel system records consent for its own channels only', {
        errors: [
          {
            field: 'channelCode',
            message:
              body.channelCode === undefined
                ? `is required for a channel-system key (${principal.channelIds.join(', ')})`
                : `channel "${body.channelCode}" is not one of this key's channels`,
          },
        ],
      });
    }
  }
  if (body.channelCode !== undefined) {
    const channel = await db.channel.findUnique({ where: { code: body.channelCode }, select: { id: true } });
    if (!channel) {
      throw Problem.of('unprocessable', `channel "${body.channelCode}" does not exist`, {
        errors: [{ field: 'channelCode', message: `channel "${body.channelCode}" does not exist` }],
      });
    }
  }
  const source = principal.role === 'channel-system' ? `channel:${scope}` : 'bank';
  return db.$transaction(async (tx) => {
    await lockCustomerContacts(tx, customerRef);
    const record = await tx.consentRecord.create({
      data: {
        customerRef,
        scope,
        decision: body.decision,
        source,
        actor: principal.name,
        reason: body.reason ?? null,
        recordedAt: now,
      },
    });
    return { customerRef, recorded: view(record), consents: (await consentsOf(tx, customerRef)).current };
  });
}

/**
 * The suppression list: customers whose consent in force is an opt-out, for all marketing or for the
 * given channel, ordered by customerRef (keyset pages).
 */
export async function suppressionList(db: Db, q: { channelCode?: string; after?: string; limit: number }) {
  const scopes = q.channelCode ? ['all', q.channelCode] : null;
  const rows = await db.$queryRaw<{ customerRef: string; scope: string; recordedAt: Date }[]>`
    SELECT "customerRef", scope, "recordedAt" FROM (
      SELECT DISTINCT ON ("customerRef", scope) "customerRef", scope, decision, "recordedAt"
        FROM "ConsentRecord"
       WHERE "customerRef" > ${q.after ?? ''}
         AND (${scopes}::text[] IS NULL OR scope = ANY(${scopes}::text[]))
       ORDER BY "customerRef", scope, "recordedAt" DESC, id DESC) AS latest
     WHERE decision = 'opt_out'
     ORDER BY "customerRef", scope
     LIMIT ${q.limit + 1}`;
  let page = rows.slice(0, q.limit);
  // A page ends between customers, so the next one (after its last customerRef) misses none of a
  // customer's scopes.
  if (rows.length > q.limit) {
    const cut = rows[q.limit]?.customerRef;
    const whole = page.filter((r) => r.customerRef !== cut);
    if (whole.length > 0) page = whole;
  }
  const items = page.map((r) => ({
    customerRef: r.customerRef,
    scope: r.scope,
    since: new Date(r.recordedAt).toISOString(),
  }));
  const last = items[items.length - 1];
  return { items, nextAfter: rows.length > q.limit && last ? last.customerRef : null };
}
