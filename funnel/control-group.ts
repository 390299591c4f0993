// Deterministic control-group assignment: which registered customers get no education/engagement at all,
// so that the campaign's lift can be measured against them. Used by the API and activities only (it needs
// node:crypto, which workflow code may not import).
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const ExperimentGroupSchema = z.enum(['control', 'treatment']);
export type ExperimentGroup = z.infer<typeof ExperimentGroupSchema>;

/** A control group larger than half the registrations would starve the campaign it is meant to measure. */
export const MAX_CONTROL_SHARE = 0.5;
export const ControlShareSchema = z.number().min(0).max(MAX_CONTROL_SHARE);

const TWO_POW_52 = 2 ** 52;

/**
 * The customer's position in [0, 1) for this campaign: the first 52 bits of sha256(`${campaignId}:${customerRef}`)
 * divided by 2^52. 52 bits because every such integer, and its quotient by 2^52, is exact in a double,
 * so the position is the same on every machine and release; sha256 spreads positions evenly and
 * independently across campaigns, so being in one campaign's control group says nothing about another's.
 */
export function controlGroupPosition(campaignId: string, customerRef: string): number {
  const digest = createHash('sha256').update(`${campaignId}:${customerRef}`, 'utf8').digest();
  // 48 bits from the first six bytes, then the high 4 bits of the seventh.
  const high48 = digest.readUIntBE(0, 6);
  const next4 = (digest[6] ?? 0) >> 4;
  return (high48 * 16 + next4) / TWO_POW_52;
}

/**
 * 'control' when the customer's position is below `controlShare`. The same inputs always give the same
 * group, so the API can assign at registration and anyone can recompute it later. Raising the share only
 * moves customers from treatment to control, never the other way.
 */
export function assignGroup(campaignId: string, customerRef: string, controlShare: number): ExperimentGroup {
  if (!(controlShare >= 0 && controlShare <= MAX_CONTROL_SHARE)) {
    throw new RangeError(`control share ${controlShare} must be between 0 and ${MAX_CONTROL_SHARE}`);
  }
  return controlGroupPosition(campaignId, customerRef) < controlShare ? 'control' : 'treatment';
}
