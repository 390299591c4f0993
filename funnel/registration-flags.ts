// Why a registration should not count as a new customer acquired by this campaign, decided from facts the
// caller has already looked up in the database. Pure, so the same facts always give the same reason and the
// evaluation can report exclusions with reasons.
import { z } from 'zod';

/**
 * In order of precedence: when several apply, the first one is recorded.
 * 1. duplicate_customer — the same contact/device fingerprint is already registered in this campaign under
 *    another customerRef. A certain fact about this very campaign, and a sign of incentive abuse (claiming the
 *    reward twice): it comes first so that repeat sign-ups stay visible as such.
 * 2. existing_customer — the bank already lists the person as a customer, or an earlier campaign already
 *    acquired them. A certain fact: this campaign did not bring a new customer, whatever else is true.
 * 3. fingerprint_burst — many registrations from one fingerprint in a short time. A suspicion (a threshold),
 *    not a certain fact, so it yields to the two facts above.
 * 4. unknown_placement — the registration names a placement this campaign does not have. Nothing is known
 *    to be wrong with the person, only with the attribution, so it is the weakest reason.
 */
export const FLAG_REASONS = [
  'duplicate_customer',
  'existing_customer',
  'fingerprint_burst',
  'unknown_placement',
] as const;
export const FlagReasonSchema = z.enum(FLAG_REASONS);
export type FlagReason = z.infer<typeof FlagReasonSchema>;

export interface RegistrationFacts {
  /** Another registration in this campaign with the same contact/device fingerprint and a different customerRef. */
  readonly duplicateOfRegistrationId?: string;
  /** Listed as an existing customer of the bank. */
  readonly existingCustomer: boolean;
  /** Registered in an earlier campaign (so already acquired). */
  readonly registeredInEarlierCampaign: boolean;
  /**
   * Whether the given placement belongs to this campaign; null when the registration names no placement.
   * No placement is not a flag: such a registration is real, just unattributed, and reported as such.
   */
  readonly placementKnown: boolean | null;
  /** Registrations with this fingerprint in the burst window, this one included. */
  readonly fingerprintCountInBurstWindow: number;
  /** The count at which registrations are flagged as a burst (at least 2: one registration is no burst). */
  readonly burstThreshold: number;
}

export function registrationFlag(facts: RegistrationFacts): FlagReason | null {
  const { fingerprintCountInBurstWindow: count, burstThreshold: threshold } = facts;
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`fingerprint count ${count} is not a count`);
  if (!Number.isSafeInteger(threshold) || threshold < 2) {
    throw new RangeError(`burst threshold ${threshold} must be an integer of at least 2`);
  }
  if (facts.duplicateOfRegistrationId !== undefined) return 'duplicate_customer';
  if (facts.existingCustomer || facts.registeredInEarlierCampaign) return 'existing_customer';
  if (count >= threshold) return 'fingerprint_burst';
  if (facts.placementKnown === false) return 'unknown_placement';
  return null;
}
