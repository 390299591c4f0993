// The facts a batch of registrations is judged against, fetched in bulk (each kind of fact over the whole
// batch) instead of a few queries per item: at 100,000 registrations the difference is minutes. Read in
// two statements of the batch's transaction (registration-sql.ts): the facts no holder of the campaign's
// registration lock writes before it, the others after it.
import type { ChannelBudgets } from './channel-budget';

/** Registrations from one device fingerprint within this window (across live campaigns) form a burst... */
export const FINGERPRINT_BURST_WINDOW_MS = 10 * 60 * 1000;
/** ...when there are at least this many, the new one included. */
export const FINGERPRINT_BURST_THRESHOLD = 5;

export interface StoredRegistration {
  id: string;
  customerRef: string;
  flagReason: string | null;
  arm: string;
  cohortKey: string;
}

export interface Owner {
  registrationId: string;
  customerRef: string;
}

export interface RegistrationLookups {
  /** This campaign's registrations of the batch's customers: a repeat is answered with them. */
  inCampaign: Map<string, StoredRegistration>;
  /** This campaign's registrations by contact hash and by device fingerprint. */
  contactOwners: Map<string, Owner[]>;
  deviceOwners: Map<string, Owner[]>;
  /** Customers the bank lists as existing. */
  existingCustomers: Set<string>;
  /** Customers registered in another live campaign (imported history is another population). */
  registeredElsewhere: Set<string>;
  /** registeredAt (ms) of every live registration per fingerprint, around the batch's times. */
  fingerprintTimes: Map<string, number[]>;
  /** This campaign's placements named by the batch (by its items or their touches). */
  placements: Map<string, { channelId: string; materialVersionId: string; variantKey: string }>;
  /** The named material versions that belong to the campaign's material. */
  campaignMaterialVersions: Set<string>;
  /** Acquisition cost so far in the campaign's currency; null when the plan has no budget cap. */
  acquisitionSpentMinor: bigint | null;
  /** Per-channel caps and spend (plan.pacing), by channel id; empty without pacing. */
  channelBudgets: ChannelBudgets;
}

/** The facts no holder of the campaign's registration lock writes: read, and judged on, before the lock. */
export type UnlockedFacts = Pick<
  RegistrationLookups,
  'existingCustomers' | 'registeredElsewhere' | 'placements' | 'campaignMaterialVersions'
>;
