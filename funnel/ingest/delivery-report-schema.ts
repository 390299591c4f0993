// One delivery report as a channel system sends it: what a placement was shown (impressions) and
// clicked in a period, and optionally how many sign-ups were started. CPM and CPC channels are billed from these (funnel/delivery-cost.ts).
import { z } from 'zod';

const Count = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

export const DeliveryReportItemSchema = z
  .strictObject({
    /** The channel system's id for the report; with the placement, its idempotency key. */
    reportId: z.string().min(1).max(200),
    channelCode: z.string().min(1).max(200),
    /** The placement id the channel received with the material (PUT …/placements/:placementId). */
    placementId: z.string().min(1).max(200),
    /** The period the figures cover, [periodStart, periodEnd). */
    periodStart: z.iso.datetime({ offset: true }),
    periodEnd: z.iso.datetime({ offset: true }),
    impressions: Count,
    clicks: Count,
    /**
     * Sign-ups started in the period (the form opened), when the channel hosts the sign-up flow: with
     * the registrations completed, where each channel's flow loses people. Absent: not reported.
     */
    registrationsStarted: Count.optional(),
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
