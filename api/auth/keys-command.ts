// `npm run keys -- <command>`: API key management from a shell, for the first admin key and for
// operators with database access. The same store as the /api-keys endpoints, so the same audit log.
//   create --name NAME --role ROLE [--channels a,b]
//   list [--all]
//   revoke ID
import type { Db } from '../../db/client';
import { Problem } from '../problem';
import { CreateApiKeySchema, ApiKeyParamsSchema } from './api-key-schemas';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyView } from './api-key-store';

export const KEYS_USAGE = `usage: npm run keys -- create --name NAME --role marketer|ops|channel-system|admin [--channels a,b]
       npm run keys -- list [--all]
       npm run keys -- revoke ID`;

/** Runs one command; returns the process exit code. `print` receives every line of output. */
export async function runKeysCommand(
  db: Db,
  argv: string[],
  actor: string,
  print: (line: string) => void,
): Promise<number> {
  const [command, ...rest] = argv;
  const flags = parseFlags(rest);
  try {
    if (command === 'create') {
      const parsed = CreateApiKeySchema.safeParse({
        name: flags.name,
        role: flags.role,
        channelIds: typeof flags.channels === 'string' ? flags.channels.split(',').filter(Boolean) : [],
      });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? 'name');
          print(`--${field === 'channelIds' ? 'channels' : field}: ${issue.message}`);
        }
        return 2;
      }
      const { key, apiKey } = await createApiKey(db, parsed.data, actor);
      print(`created API key ${apiKey.id}: ${describe(apiKey)}`);
      print(`key (shown once; store it now): ${key}`);
      return 0;
    }
    if (command === 'list') {
      const keys = await listApiKeys(db, { limit: 1000, cursor: null, activeOnly: flags.all !== true });
      if (keys.length === 0) print('no API keys');
      for (const key of keys) print(`${key.id}  ck_${key.prefix}_…  ${describe(key)}`);
      return 0;
    }
    if (command === 'revoke') {
      const id = ApiKeyParamsSchema.safeParse({ id: flags._[0] });
      if (!id.success) {
        print('revoke needs the id of the key (see `npm run keys -- list`)');
        return 2;
      }
      const revoked = await revokeApiKey(db, id.data.id, actor);
      print(`revoked API key ${revoked.id}: ${describe(revoked)}`);
      return 0;
    }
    print(KEYS_USAGE);
    return 2;
  } catch (err) {
    if (!(err instanceof Problem)) throw err;
    print(`${err.title}: ${err.detail ?? ''}`);
    for (const e of (err.extra.errors as { field: string; message: string }[] | undefined) ?? []) {
      print(`  ${e.field}: ${e.message}`);
    }
    return 1;
  }
}

function describe(key: ApiKeyView): string {
  const channels = key.channelIds.length > 0 ? `, channels ${key.channelIds.join(',')}` : '';
  const revoked = key.revokedAt ? `, revoked ${key.revokedAt.toISOString()}` : '';
  return `${key.role} "${key.name}"${channels}, created ${key.createdAt.toISOString()}${revoked}`;
}

interface Flags {
  _: string[];
  [flag: string]: string | boolean | string[];
}

/** `--flag value`, `--flag=value` and bare `--flag` (true); everything else is positional. */
function parseFlags(args: string[]): Flags {
  const flags: Flags = { _: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const long = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!long) {
      flags._.push(arg);
      continue;
    }
    const [, name, inline] = long as unknown as [string, string, string | undefined];
    const next = args[i + 1];
    if (inline !== undefined) flags[name] = inline;
    else if (next !== undefined && !next.startsWith('--')) flags[name] = args[++i] as string;
    else flags[name] = true;
  }
  return flags;
}
