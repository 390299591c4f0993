// The demo users' API keys. Only a hash of a key is stored in the database, so the demo keeps the plain
// keys in a file of its own beside the embedded database (DATA_DIR/demo-keys.json, readable by its owner
// only): the same keys across restarts, so a console that remembered the key keeps working. A key in
// the file that the database does not know (another database, or revoked) is replaced, and older
// active keys of a demo user are revoked, so each demo user has exactly one active key.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../db/client';
import { keyMatchesHash, prefixOf } from '../api/auth/api-key-format';
import { createApiKey, revokeApiKey } from '../api/auth/api-key-store';
import { DEMO_CHANNEL_CODES, DEMO_SEED_ACTOR, DEMO_USERS } from './bank';

export type DemoUser = keyof typeof DEMO_USERS;
export type DemoKeys = Record<DemoUser, string>;

const KeyFileSchema = z.record(z.string(), z.string());

function readKeyFile(file: string): Record<string, string> {
  try {
    const parsed = KeyFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

async function isActiveKeyOf(db: Db, key: string | undefined, name: string): Promise<string | null> {
  const prefix = key ? prefixOf(key) : null;
  if (!key || !prefix) return null;
  const row = await db.apiKey.findUnique({ where: { prefix } });
  return row && row.revokedAt === null && row.name === name && keyMatchesHash(key, row.hash) ? row.id : null;
}

export async function ensureDemoKeys(db: Db, file: string): Promise<{ keys: DemoKeys; created: DemoUser[] }> {
  const stored = readKeyFile(file);
  const keys = {} as DemoKeys;
  const created: DemoUser[] = [];
  for (const user of Object.keys(DEMO_USERS) as DemoUser[]) {
    const { name, role } = DEMO_USERS[user];
    let id = await isActiveKeyOf(db, stored[user], name);
    if (id) keys[user] = stored[user]!;
    else {
      const channelIds = role === 'channel-system' ? [...DEMO_CHANNEL_CODES] : [];
      const made = await createApiKey(db, { name, role, channelIds }, DEMO_SEED_ACTOR);
      keys[user] = made.key;
      id = made.apiKey.id;
      created.push(user);
    }
    const others = await db.apiKey.findMany({ where: { name, revokedAt: null, id: { not: id } } });
    for (const other of others) await revokeApiKey(db, other.id, DEMO_SEED_ACTOR);
  }
  if (created.length > 0) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  }
  return { keys, created };
}
