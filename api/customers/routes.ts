// /customers/:ref and /suppression-list: a customer's consent (PIPL), what the system holds about them
// (export), their erasure, and the list of customers who opted out (docs/api/customers.md).
import { Router } from 'express';
import type { Db } from '../../db/client';
import { actorOf, principalOf } from '../auth/principal';
import { handle, idempotent } from '../handler';
import { Problem } from '../problem';
import { parseWith } from '../validate';
import { recordConsent, suppressionList } from './consent-store';
import { exportCustomer } from './customer-export';
import { eraseCustomer } from './erasure';
import { ConsentRequestSchema, CustomerParams, ErasureRequestSchema, SuppressionQuery } from './schemas';

export function customerRoutes(db: Db, now: () => Date = () => new Date()): Router {
  const router = Router();

  router.post(
    '/customers/:ref/consent',
    idempotent(db, 'customers.consent', async (req, res) => {
      const { ref } = parseWith(CustomerParams, req.params, 'params');
      const body = parseWith(ConsentRequestSchema, req.body, 'body');
      const principal = principalOf(res);
      if (!principal) throw new Problem(401, 'Unauthorized', 'no API key');
      return { status: 201, body: await recordConsent(db, ref, body, principal, now()) };
    }),
  );

  router.get(
    '/customers/:ref',
    handle(async (req) => {
      const { ref } = parseWith(CustomerParams, req.params, 'params');
      return { status: 200, body: await exportCustomer(db, ref) };
    }),
  );

  router.post(
    '/customers/:ref/erasure',
    idempotent(db, 'customers.erasure', async (req, res) => {
      const { ref } = parseWith(CustomerParams, req.params, 'params');
      const { reason } = parseWith(ErasureRequestSchema, req.body, 'body');
      return { status: 200, body: await eraseCustomer(db, ref, actorOf(res), reason) };
    }),
  );

  router.get(
    '/suppression-list',
    handle(async (req) => {
      const q = parseWith(SuppressionQuery, req.query, 'query');
      return { status: 200, body: await suppressionList(db, q) };
    }),
  );
  return router;
}
