// One delivery report as a channel system sends it: what a placement was shown (impressions) and
// clicked in a period. CPM and CPC channels are billed from these (funnel/delivery-cost.ts).
import { z } from 'zod';
import { InstantSchema, text } from '../../domain/text';

const Count = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

export const DeliveryReportItemSchema = z
  .strictObject({
    /** The channel system's id for the report; with the placement, its idempotency key. */
    reportId: text({ min: 1, max: 200 }),
    channelCode: text({ min: 1, max: 200 }),
    /** The placement id the channel received with the material (PUT …/placements/:placementId). */
    placementId: text({ min: 1, max: 200 }),
    /** The period the figures cover, [periodStart, periodEnd). */
    periodStart: InstantSchema,
    periodEnd: InstantSchema,
    impressions: Count,
    clicks: Count,
  })
  .superRefine((report, ctx) => {
    if (Date.parse(report.periodEnd) <= Date.parse(report.periodStart)) {
      ctx.addIssue({
        code: 'custom',
        path: ['periodEnd'],
        message: 'must be after periodStart',
        params: { reason: 'invalid' },
      });
    }
  });

export type DeliveryReportItem = z.infer<typeof DeliveryReportItemSchema>;
