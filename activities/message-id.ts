// The id of one step's message to one customer: the delivery's idempotency key, the Message row's id and the
// contact ledger's key. Deterministic, so every retry and re-run derives the same id for the same campaign,
// step and customer.
import { createHash } from 'node:crypto';

export function messageIdFor(campaignId: string, stepId: string, customerRef: string): string {
  const digest = createHash('sha256')
    .update(`${campaignId}\u0000${stepId}\u0000${customerRef}`, 'utf8')
    .digest('hex');
  return `msg_${digest}`;
}
