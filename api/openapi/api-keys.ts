// OpenAPI entries of API key management (api/auth/routes.ts), admins only. docs/api/auth.md.
// The response schemas are declared beside their views (api/auth/api-key-view.ts).
import { MeSchema } from '../auth/me';
import { ApiKeyListQuerySchema, ApiKeyParamsSchema, CreateApiKeySchema } from '../auth/api-key-schemas';
import { ApiKeySchema, CreatedApiKeySchema } from '../auth/api-key-view';
import { EX, pageOf } from './common';
import type { RouteDoc } from './registry';

const keyExample = {
  id: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
  name: 'wechat-pay-ingest',
  prefix: 'k3x9q2ab',
  role: 'channel-system',
  channelIds: ['wechat-pay'],
  createdAt: EX.at,
  revokedAt: null,
};

const TAG = 'API keys';

export const apiKeyRoutesDoc: RouteDoc[] = [
  {
    method: 'post',
    path: '/api-keys',
    tag: TAG,
    operationId: 'createApiKey',
    summary: 'Create an API key (the key is shown in this response only)',
    description:
      'Takes no Idempotency-Key (400): replaying would mean storing the secret. Only a hash of the key is stored.',
    body: {
      schema: CreateApiKeySchema,
      name: 'CreateApiKeyRequest',
      example: { name: 'wechat-pay-ingest', role: 'channel-system', channelIds: ['wechat-pay'] },
    },
    responses: {
      201: {
        description: 'The key, with its secret',
        schema: CreatedApiKeySchema,
        example: { ...keyExample, key: 'ck_k3x9q2ab_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5' },
      },
    },
  },
  {
    method: 'get',
    path: '/api-keys',
    tag: TAG,
    operationId: 'listApiKeys',
    summary: 'List API keys (never their secrets nor hashes)',
    query: ApiKeyListQuerySchema,
    responses: {
      200: {
        description: 'A page of keys',
        schema: pageOf(ApiKeySchema),
        example: { items: [keyExample], nextCursor: null },
      },
    },
  },
  {
    method: 'post',
    path: '/api-keys/:id/revoke',
    tag: TAG,
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key; it stops working at once',
    params: ApiKeyParamsSchema,
    idempotent: true,
    errors: [404],
    responses: {
      200: {
        description: 'The revoked key',
        schema: ApiKeySchema,
        example: { ...keyExample, revokedAt: EX.later },
      },
    },
  },
  {
    method: 'get',
    path: '/me',
    tag: TAG,
    operationId: 'whoAmI',
    summary: 'Who the caller is: the key’s name and role, and the routes that role may call',
    description:
      'Every role may ask. The console hides the controls a role may not use from `allowed`; the API still refuses them.',
    responses: {
      200: {
        description: 'The caller',
        schema: MeSchema,
        example: {
          name: 'li.wei',
          role: 'marketer',
          channelIds: [],
          allowed: [
            { method: 'POST', path: '/channels' },
            { method: 'GET', path: '/channels' },
          ],
        },
      },
    },
  },
];
