// Unique-index violations (Prisma P2002) as a signal, not a failure: the registry numbers versions as
// max+1 inside a transaction, and two concurrent writers can pick the same number. The unique index
// (channelId, version) / (variantId, version) makes the loser fail; retrying re-reads the maximum.
import { Prisma } from '../generated/prisma/client';

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}

/**
 * Runs `attempt` again (up to `times` in all) while it fails on a unique violation. Each round has at
 * least one winner; a short random pause keeps the losers from colliding again in lockstep.
 */
export async function retryOnUniqueViolation<T>(attempt: () => Promise<T>, times = 8): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isUniqueViolation(err) || tried >= times) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * tried));
    }
  }
}
