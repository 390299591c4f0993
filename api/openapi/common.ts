// Response shapes shared by the documentation of every resource: problems (RFC 9457), cursor pages,
// timestamps. Responses have no zod schema in the routers (handlers return rows and views), so these
// describe them; request shapes always come from the routers' own schemas.
import { z } from 'zod';

export const Timestamp = z.iso.datetime({ offset: true });
export const NullableTimestamp = Timestamp.nullable();
export const Uuid = z.uuid();

export const FieldErrorSchema = z.object({
  field: z.string().meta({ description: 'The invalid field: body path, or params./query./header. prefixed' }),
  message: z.string(),
  reason: z
    .string()
    .optional()
    .meta({ description: 'A machine-readable reason, where the endpoint gives one' }),
});

export const ProblemSchema = z
  .looseObject({
    type: z.string().meta({
      description: 'The kind of problem: a stable URI listed in docs/api/problems.md',
    }),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    retryable: z.boolean().meta({
      description: 'Whether the same request may succeed later (then Retry-After says when)',
    }),
    requestId: z.string().optional().meta({ description: 'The id of the request, as logged' }),
  })
  .meta({ description: 'An RFC 9457 problem; some carry extra members (e.g. currentVersion on 412)' });

export const ValidationProblemSchema = ProblemSchema.extend({ errors: z.array(FieldErrorSchema) });

/** A cursor page: `nextCursor` is null on the last page; pass it as `?cursor=` for the next one. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Example values reused across resources, so that examples agree with one another. */
export const EX = {
  campaignId: '7f1c1b9e-3a52-4c1e-9d36-0c8e2f1d5a10',
  materialId: '2b3c4d5e-6f70-4a81-92a3-b4c5d6e7f809',
  materialVersionId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  channelId: '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8',
  placementId: 'plc_7f1c1b9e_wechat-pay_0',
  at: '2026-03-01T09:00:00.000Z',
  later: '2026-03-01T09:00:02.310Z',
  cursor: 'eyJjcmVhdGVkQXQiOiIyMDI2LTAzLTAxVDA5OjAwOjAwLjAwMFoiLCJpZCI6IjdmMWMxYjllIn0',
};
