// One customer event as the bank's systems report it (login, deposit, transaction, …): the facts the
// activation rule is evaluated over, and the revenue of the new-customer period.
import { z } from 'zod';
import { MinorAmountSchema as Minor } from '../../domain/money';
import { InstantSchema, text } from '../../domain/text';
import { CustomerEventTypeSchema } from '../../domain/activation-rule';

export const CustomerEventItemSchema = z
  .strictObject({
    /** Globally unique; a repeat of an id is answered 'duplicate_request' and changes nothing. */
    eventId: text({ min: 1, max: 200 }),
    customerRef: text({ min: 1, max: 200 }),
    type: CustomerEventTypeSchema,
    /** What the customer moved (a deposit's or transaction's amount), in minor units: what activation rules count. */
    amountMinor: Minor.optional(),
    /**
     * What the bank earns from the event (fees, interest margin, merchant commission), in minor units.
     * Explicit because no event type's amount is revenue as such: a ¥10,000 deposit is not ¥10,000 earned.
     * Booked to the revenue ledger when the event falls inside the customer's new-customer period.
     */
    revenueMinor: Minor.optional(),
    /** The currency of amountMinor and revenueMinor; required with either. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code')
      .optional(),
    occurredAt: InstantSchema,
  })
  .superRefine((event, ctx) => {
    if (
      (event.amountMinor !== undefined || event.revenueMinor !== undefined) &&
      event.currency === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['currency'],
        message: 'required with amountMinor or revenueMinor',
        params: { reason: 'required' },
      });
    }
  });

export type CustomerEventItem = z.infer<typeof CustomerEventItemSchema>;
