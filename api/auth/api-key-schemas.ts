// The inputs of key management (endpoint and `npm run keys`): one zod schema each, from which the
// validation errors and the OpenAPI entries come.
import { z } from 'zod';
import { ChannelCodeSchema } from '../../domain/channel';
import { ROLES } from './principal';

export const CreateApiKeySchema = z
  .strictObject({
    /** Who or what holds the key: the actor recorded in audit logs, so a person's or a system's name. */
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine((name) => name !== 'anonymous', '"anonymous" is reserved for unnamed callers'),
    role: z.enum(ROLES),
    /** Channel codes; required for (and only for) `channel-system` keys. */
    channelIds: z.array(ChannelCodeSchema).max(100).default([]),
  })
  .superRefine((key, ctx) => {
    if (key.role === 'channel-system' && key.channelIds.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['channelIds'],
        message: 'a channel-system key needs the channel codes it ingests for',
      });
    }
    if (key.role !== 'channel-system' && key.channelIds.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['channelIds'],
        message: 'only channel-system keys are scoped to channels',
      });
    }
  });

export type CreateApiKeyRequest = z.infer<typeof CreateApiKeySchema>;

export const ApiKeyListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
  role: z.enum(ROLES).optional(),
  /** `true` (default): only keys that still work; `false`: revoked keys too. */
  active: z.enum(['true', 'false']).default('true'),
});

export const ApiKeyParamsSchema = z.object({ id: z.string().uuid('must be an API key id (UUID)') });
