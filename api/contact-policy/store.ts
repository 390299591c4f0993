// Contact policy versions: read the one in force, list and read old ones, and store a new one. A PUT names
// the version it was edited from (If-Match), so two people editing at once cannot overwrite each other:
// the version check and the insert run under one advisory lock, and the audit entry in the same
// transaction.
// The response schemas are declared here, beside the views, and type them; the OpenAPI document
// (api/openapi/contact.ts) imports them.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { ContactPolicySchema, UNRESTRICTED_POLICY, type ContactPolicy } from '../../domain/contact-policy';
import { Problem, validationProblem } from '../problem';

export const PolicyVersionSchema = z.object({
  version: z.int().describe('0: nothing was ever stored (the unrestricted policy)'),
  policy: ContactPolicySchema,
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime().nullable(),
});
export type ContactPolicyView = z.infer<typeof PolicyVersionSchema>;

/** GET /contact-policy/versions: newest first; `nextBefore` is the `before` of the next page. */
export const PolicyVersionPageSchema = z.object({
  items: z.array(PolicyVersionSchema),
  nextBefore: z.int().nullable(),
});
export type PolicyVersionPage = z.infer<typeof PolicyVersionPageSchema>;

const view = (row: {
  version: number;
  policy: unknown;
  createdBy: string;
  createdAt: Date;
}): ContactPolicyView => ({
  version: row.version,
  policy: row.policy as ContactPolicy,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
});

/** Version 0 is the unrestricted policy in force before any was stored. */
const NONE: ContactPolicyView = { version: 0, policy: UNRESTRICTED_POLICY, createdBy: null, createdAt: null };

export async function currentPolicy(db: Db): Promise<ContactPolicyView> {
  const row = await db.contactPolicyVersion.findFirst({ orderBy: { version: 'desc' } });
  return row ? view(row) : NONE;
}

export async function policyVersion(db: Db, version: number): Promise<ContactPolicyView> {
  if (version === 0) return NONE;
  const row = await db.contactPolicyVersion.findUnique({ where: { version } });
  if (!row) throw new Problem(404, 'Not Found', `contact policy version ${version} does not exist`);
  return view(row);
}

export async function policyVersions(
  db: Db,
  q: { limit: number; before?: number },
): Promise<PolicyVersionPage> {
  const rows = await db.contactPolicyVersion.findMany({
    where: q.before === undefined ? {} : { version: { lt: q.before } },
    orderBy: { version: 'desc' },
    take: q.limit + 1,
  });
  const items = rows.slice(0, q.limit).map(view);
  const last = items[items.length - 1];
  return { items, nextBefore: rows.length > q.limit && last ? last.version : null };
}

/**
 * The version an If-Match header names ("3", W/"3"), 'any' for `*` (RFC 9110: whatever is current — an
 * explicit overwrite, e.g. by a deployment script), or a 400/428 naming the header.
 */
export function versionOfIfMatch(ifMatch: string | undefined): number | 'any' {
  if (ifMatch === undefined) {
    throw Problem.of(
      'precondition-required',
      'send If-Match with the ETag of the version you edited ("0" when none was stored yet)',
      { errors: [{ field: 'header.If-Match', message: 'is required: the version this edit starts from' }] },
    );
  }
  if (ifMatch.trim() === '*') return 'any';
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(ifMatch.trim());
  if (!match) {
    throw validationProblem([
      { field: 'header.If-Match', message: 'must be an ETag this API issued, e.g. "3"' },
    ]);
  }
  return Number(match[1]);
}

export async function putPolicy(
  db: Db,
  policy: ContactPolicy,
  actor: string,
  basedOnIfMatch: number | 'any',
): Promise<ContactPolicyView> {
  // Priorities must name campaigns that exist: a typo would silently leave a campaign at the default.
  const ids = policy.priorities.campaigns.map((c) => c.campaignId);
  const found = new Set(
    (await db.campaign.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((c) => c.id),
  );
  const unknown = ids.flatMap((id, i) =>
    found.has(id)
      ? []
      : [{ field: `priorities.campaigns.${i}.campaignId`, message: `campaign ${id} does not exist` }],
  );
  if (unknown.length > 0)
    throw Problem.of('unprocessable', 'the policy names campaigns that do not exist', { errors: unknown });

  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('contact-policy', 0))`;
    const latest = await tx.contactPolicyVersion.findFirst({
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    const current = latest?.version ?? 0;
    const basedOn = basedOnIfMatch === 'any' ? current : basedOnIfMatch;
    if (basedOn !== current) {
      throw new Problem(
        412,
        'Precondition Failed',
        `the contact policy is at version ${current}, not ${basedOn}`,
        {
          currentVersion: current,
          errors: [
            { field: 'header.If-Match', message: `names version ${basedOn}; the current one is ${current}` },
          ],
        },
      );
    }
    const row = await tx.contactPolicyVersion.create({
      data: { version: current + 1, policy: policy as object, createdBy: actor },
    });
    await tx.auditLog.create({
      data: {
        actor,
        action: 'contact_policy.put',
        payload: { version: row.version, basedOn, policy } as object,
      },
    });
    return view(row);
  });
}
