// /contact-policy: the contact policy across campaigns (docs/api/contact-policy.md) — the version in force,
// the old versions, and PUT to store a new version (If-Match: the version edited).
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { ContactPolicySchema } from '../../domain/contact-policy';
import { actorOf } from '../auth/principal';
import { handle } from '../handler';
import { parseWith } from '../validate';
import { currentPolicy, policyVersion, policyVersions, putPolicy, versionOfIfMatch } from './store';

export const PolicyVersionParams = z.strictObject({
  version: z.coerce.number().int().min(0).max(999_999_999),
});
export const PolicyVersionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Versions older than this one (the previous page's `nextBefore`). */
  before: z.coerce.number().int().min(1).max(999_999_999).optional(),
});

const etag = (version: number) => `"${version}"`;

export function contactPolicyRoutes(db: Db): Router {
  const router = Router();

  router.get(
    '/contact-policy',
    handle(async () => {
      const policy = await currentPolicy(db);
      return { status: 200, headers: { ETag: etag(policy.version) }, body: policy };
    }),
  );

  router.put(
    '/contact-policy',
    handle(async (req, res) => {
      const basedOn = versionOfIfMatch(req.header('If-Match'));
      const policy = parseWith(ContactPolicySchema, req.body, 'body');
      const stored = await putPolicy(db, policy, actorOf(res), basedOn);
      return { status: 200, headers: { ETag: etag(stored.version) }, body: stored };
    }),
  );

  router.get(
    '/contact-policy/versions',
    handle(async (req) => {
      const q = parseWith(PolicyVersionsQuery, req.query, 'query');
      return { status: 200, body: await policyVersions(db, q) };
    }),
  );

  router.get(
    '/contact-policy/versions/:version',
    handle(async (req) => {
      const { version } = parseWith(PolicyVersionParams, req.params, 'params');
      const policy = await policyVersion(db, version);
      return { status: 200, headers: { ETag: etag(policy.version) }, body: policy };
    }),
  );
  return router;
}
