// /api-keys: key management for admins (the policy allows no other role). The plain key appears in one
// response only, the creation's; lists never show a secret or a hash.
import { Router } from 'express';
import type { Db } from '../../db/client';
import { actorOf } from './principal';
import { handle, idempotent } from '../handler';
import { decodeCursor, page } from '../pagination';
import { validationProblem } from '../problem';
import { parseWith } from '../validate';
import { ApiKeyListQuerySchema, ApiKeyParamsSchema, CreateApiKeySchema } from './api-key-schemas';
import { createApiKey, listApiKeys, revokeApiKey } from './api-key-store';
import { apiKeyResponse, createdApiKeyResponse } from './api-key-view';

export function apiKeyRoutes(db: Db): Router {
  const router = Router();

  router.post(
    '/api-keys',
    handle(async (req, res) => {
      // An idempotent replay would have to store the reply — the plain key — at rest. A retried creation
      // makes a second key instead; revoke the spare.
      if (req.header('Idempotency-Key') !== undefined) {
        throw validationProblem([
          {
            field: 'header.Idempotency-Key',
            message: 'not supported on POST /api-keys: its reply holds a secret that is never stored',
          },
        ]);
      }
      const body = parseWith(CreateApiKeySchema, req.body, 'body');
      const { key, apiKey } = await createApiKey(db, body, actorOf(res));
      return {
        status: 201,
        headers: { 'Cache-Control': 'no-store' },
        body: createdApiKeyResponse(apiKey, key),
      };
    }),
  );

  router.get(
    '/api-keys',
    handle(async (req) => {
      const q = parseWith(ApiKeyListQuerySchema, req.query, 'query');
      const rows = await listApiKeys(db, {
        limit: q.limit,
        cursor: decodeCursor(q.cursor),
        role: q.role,
        activeOnly: q.active === 'true',
      });
      const { items, nextCursor } = page(rows, q.limit);
      return { status: 200, body: { items: items.map(apiKeyResponse), nextCursor } };
    }),
  );

  router.post(
    '/api-keys/:id/revoke',
    idempotent(db, 'api-keys.revoke', async (req, res) => {
      const { id } = parseWith(ApiKeyParamsSchema, req.params, 'params');
      return { status: 200, body: apiKeyResponse(await revokeApiKey(db, id, actorOf(res))) };
    }),
  );

  return router;
}
