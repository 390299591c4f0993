// A placement's status (Placement.status): where publishing one material version on one channel stands.
// The column is a string; these are exactly the values the code writes (activities/publishing.ts,
// api/placements/routes.ts), so a misspelt or renamed status is a type error at every write.
import { z } from 'zod';

export const PLACEMENT_STATUSES = [
  /** Row written, the channel not called yet (or the call failed and will be retried). */
  'pending',
  /** An offline channel's task is with branch staff; they acknowledge it once it is up. */
  'awaiting_acknowledgement',
  /** Published and read back with the expected content. */
  'verified',
  /** Read back with other content (or absent): a repair publishes it again. */
  'drifted',
  /** Publishing gave up; `error` says why. */
  'failed',
  /** An offline channel's withdrawal task is with branch staff. */
  'withdrawal_requested',
  'withdrawn',
] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];
export const PlacementStatusSchema = z.enum(PLACEMENT_STATUSES);
