// The design the architecture rejected, for bench:per-customer only (never bundled by the product's
// worker): ONE WORKFLOW PER CUSTOMER, as Dittofeed runs its journeys. Each customer's workflow runs the
// campaign plan's steps for that customer alone — sleep until the step is due (registration + offset),
// one activity that checks the audience (activation) and sends through the channel — then sleeps to the
// end of the customer's new-customer period. Temporal work grows with customers × steps.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { PerCustomerActivities } from './activities';

export interface CustomerJourneyInput {
  campaignId: string;
  customerRef: string;
  registeredAt: string;
  steps: { id: string; offsetMs: number }[];
  periodMs: number;
}

// The product's dbWrite-like policy: a short call, retried with backoff.
const { sendCustomerStep } = proxyActivities<PerCustomerActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

export async function customerJourneyWorkflow(input: CustomerJourneyInput): Promise<{ delivered: number }> {
  const start = Date.parse(input.registeredAt);
  let delivered = 0;
  for (const step of input.steps) {
    const wait = start + step.offsetMs - Date.now();
    if (wait > 0) await sleep(wait);
    if (
      await sendCustomerStep({
        campaignId: input.campaignId,
        customerRef: input.customerRef,
        stepId: step.id,
      })
    )
      delivered++;
  }
  const rest = start + input.periodMs - Date.now();
  if (rest > 0) await sleep(rest);
  return { delivered };
}
