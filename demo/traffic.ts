// The demo's one integration point with the prospect traffic generator (traffic/generator.ts,
// docs/traffic-generator.md): the director starts it on every demo campaign that is not over. The bank's
// existing customers — whom some bad prospects pretend to be new — come from one fixed seed for every
// demo campaign, and the demo seed writes the same list into the ExistingCustomer table, so that those
// registrations are flagged `existing_customer`.
import { startTraffic, type TrafficHandle, type TrafficOptions } from '../traffic/generator';
import { existingCustomerRefs } from '../traffic/planner';

export type TrafficStarter = (options: TrafficOptions) => TrafficHandle;

export const demoTraffic: TrafficStarter = startTraffic;

/** The seed of the demo bank's existing-customer list (not of any one campaign's traffic). */
const EXISTING_CUSTOMERS_SEED = 2026;
export const DEMO_EXISTING_CUSTOMERS = 1000;

export function demoExistingCustomerRefs(): string[] {
  return existingCustomerRefs(EXISTING_CUSTOMERS_SEED, DEMO_EXISTING_CUSTOMERS);
}
