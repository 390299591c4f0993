// The first admin key. `npm start` runs an embedded database whose URL its user never sees, so it cannot
// ask them to run `npm run keys`: when no admin key is active it creates one and prints it once.
import type { Db } from '../../db/client';
import { createApiKey, hasActiveAdminKey } from './api-key-store';

/** The new key, or null when an active admin key already exists (nothing is created). */
export async function bootstrapAdminKey(db: Db, actor: string): Promise<string | null> {
  if (await hasActiveAdminKey(db)) return null;
  const { key } = await createApiKey(db, { name: 'bootstrap-admin', role: 'admin', channelIds: [] }, actor);
  return key;
}
