// The `:id` path parameter of every route under /campaigns/:id: one schema, so every route refuses a
// malformed campaign id with the same 400 and the OpenAPI document describes it once.
import { z } from 'zod';

export const CampaignIdParams = z.object({ id: z.string().uuid('must be a campaign id (UUID)') });
