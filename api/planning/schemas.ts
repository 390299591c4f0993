// The allocation planner's request (POST /planning/allocations): one zod schema, from which the type,
// the OpenAPI entry and every 400's field errors come. Money is { minor, currency } in whole minor units;
// every amount must be in the budget's currency.
import { z } from 'zod';
import { ChannelCodeSchema } from '../../domain/channel';

const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO-4217 currency code such as "CNY"');
const Minor = z
  .int('whole minor units (fen, cents), not a decimal')
  .min(0, 'cannot be negative')
  .max(Number.MAX_SAFE_INTEGER, 'too large');
const MoneyInput = z.strictObject({ minor: Minor, currency: Currency });

export const ObjectiveSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('max_activations') }),
    z.strictObject({
      type: z.literal('min_aac'),
      minimumActivations: z
        .number()
        .positive('the volume the plan must reach, in expected activated customers')
        .max(1e9),
    }),
    z.strictObject({ type: z.literal('max_lroi') }),
  ],
  { error: 'one of max_activations, min_aac (with minimumActivations) or max_lroi' },
);

export const CandidateSchema = z.strictObject({
  channelCode: ChannelCodeSchema,
  materialVariant: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("Narrows the channel's history to one material variant (e.g. one arm of an experiment)"),
  minimumSpend: MoneyInput.optional(),
  maximumSpend: MoneyInput.optional(),
  capacityRegistrations: z
    .int()
    .positive()
    .max(1e12)
    .optional()
    .describe('The most registrations the channel can take in the campaign'),
});

export const PlanRequestSchema = z
  .strictObject({
    budget: MoneyInput.refine((m) => m.minor > 0, { message: 'must be more than zero', path: ['minor'] }),
    objective: ObjectiveSchema,
    channels: z.array(CandidateSchema).min(1, 'at least one candidate channel').max(50),
    explorationFloorBasisPoints: z
      .int()
      .min(0)
      .max(10_000)
      .default(500)
      .describe('Share of the budget a channel without history is kept at, in basis points (500 = 5%)'),
    history: z
      .strictObject({
        campaignIds: z.array(z.uuid('must be a campaign id (UUID)')).min(1).max(200).optional(),
        lastCampaigns: z.int().min(1).max(200).default(50),
      })
      .default({ lastCampaigns: 50 })
      .describe('Which campaigns count as history: these ids, or the newest lastCampaigns in the currency'),
  })
  .superRefine((plan, ctx) => {
    const currency = plan.budget.currency;
    const seen = new Set<string>();
    let minimums = 0;
    plan.channels.forEach((c, i) => {
      for (const field of ['minimumSpend', 'maximumSpend'] as const) {
        const amount = c[field];
        if (amount && amount.currency !== currency) {
          ctx.addIssue({
            code: 'custom',
            path: ['channels', i, field, 'currency'],
            message: `must be ${currency}, the budget's currency`,
          });
        }
      }
      if (c.minimumSpend && c.maximumSpend && c.minimumSpend.minor > c.maximumSpend.minor) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'maximumSpend', 'minor'],
          message: `is below the channel's minimum spend (${c.minimumSpend.minor})`,
        });
      }
      const key = `${c.channelCode}\u0000${c.materialVariant ?? ''}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'channelCode'],
          message: `${c.channelCode}${c.materialVariant ? ` (${c.materialVariant})` : ''} is listed twice`,
        });
      }
      seen.add(key);
      minimums += c.minimumSpend?.minor ?? 0;
    });
    if (minimums > plan.budget.minor) {
      ctx.addIssue({
        code: 'custom',
        path: ['budget', 'minor'],
        message: `is below the sum of the channels' minimum spend (${minimums})`,
      });
    }
  });

export type PlanRequest = z.infer<typeof PlanRequestSchema>;
