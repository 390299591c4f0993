// Request shapes of the operations views, shared by the router (validation) and the OpenAPI
// description (api/openapi/ops.ts), so that the two cannot disagree.
import { z } from 'zod';
import { PageQuerySchema } from '../pagination';

// Strict: a misspelt filter must fail loudly rather than silently list everything.
export const OpsCampaignListQuerySchema = PageQuerySchema.extend({
  /** The campaign's phase as the database mirrors it (launching, acquiring, …, cancelled, failed). */
  status: z.string().min(1).max(50).optional(),
}).strict();

export const AuditQuerySchema = PageQuerySchema.extend({
  /** Only entries of this action, e.g. `campaign.cancel`. */
  action: z.string().min(1).max(100).optional(),
}).strict();
