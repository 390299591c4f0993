// What /api-keys answers about a key: everything but its hash, times as ISO strings. The response
// schemas are declared here and type the views; the OpenAPI document (api/openapi/api-keys.ts)
// imports them. (The store's ApiKeyView keeps Dates: `npm run keys` prints them.)
import { z } from 'zod';
import { NullableTimestamp, Timestamp, Uuid } from '../openapi/common';
import type { ApiKeyView } from './api-key-store';
import { ROLES, type Role } from './principal';

export const ApiKeySchema = z.object({
  id: Uuid,
  name: z.string(),
  prefix: z.string(),
  role: z.enum(ROLES),
  channelIds: z.array(z.string()),
  createdAt: Timestamp,
  revokedAt: NullableTimestamp,
});
export type ApiKeyResponse = z.infer<typeof ApiKeySchema>;

/** The reply of POST /api-keys: the only response that ever holds the plain key. */
export const CreatedApiKeySchema = ApiKeySchema.extend({ key: z.string() });
export type CreatedApiKeyResponse = z.infer<typeof CreatedApiKeySchema>;

export function apiKeyResponse(key: ApiKeyView): ApiKeyResponse {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    // The column is written only from CreateApiKeySchema's role (api-key-schemas.ts).
    role: key.role as Role,
    channelIds: key.channelIds,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

export function createdApiKeyResponse(key: ApiKeyView, plain: string): CreatedApiKeyResponse {
  return { ...apiKeyResponse(key), key: plain };
}
