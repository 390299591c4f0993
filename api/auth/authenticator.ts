// How a request proves who it is. createApp takes an Authenticator so that production checks API keys
// while tests (and only tests) may name the caller in headers; role checks and channel scoping run on
// whatever principal the authenticator returns, either way.
import type { Request } from 'express';
import { pgPoolOf, type Db } from '../../db/client';
import { keyMatchesHash, prefixOf } from './api-key-format';
import { isRole, type Principal } from './principal';

export type Authenticator = (req: Request) => Promise<Principal>;

/** Thrown by an authenticator: answered 401 with `WWW-Authenticate: Bearer`. The detail never echoes the key. */
export class AuthenticationError extends Error {}

/** The key from `Authorization: Bearer <key>`, else from `X-Api-Key`; undefined when neither is sent. */
export function presentedKey(req: Request): string | undefined {
  const authorization = req.header('Authorization');
  if (authorization !== undefined) {
    const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!bearer) throw new AuthenticationError('the Authorization header must be "Bearer <API key>"');
    return bearer[1];
  }
  const header = req.header('X-Api-Key')?.trim();
  return header === '' ? undefined : header;
}

interface KeyRow {
  id: string;
  name: string;
  role: string;
  hash: string;
  channelIds: string[];
  revokedAt: Date | null;
}

// Through the pg pool (db/client.ts), not Prisma: it runs for every request.
const FIND_KEY = `SELECT id, name, role, hash, "channelIds", "revokedAt" FROM "ApiKey" WHERE prefix = $1`;

export function apiKeyAuthenticator(db: Db): Authenticator {
  return async (req) => {
    const key = presentedKey(req);
    if (key === undefined) {
      throw new AuthenticationError('send an API key: "Authorization: Bearer <key>" or "X-Api-Key: <key>"');
    }
    const prefix = prefixOf(key);
    // One message for malformed, unknown and revoked keys: the answer must not help anyone probe keys.
    const invalid = new AuthenticationError('the API key is not valid (unknown, malformed or revoked)');
    if (!prefix) throw invalid;
    const { rows } = await pgPoolOf(db).query<KeyRow>(FIND_KEY, [prefix]);
    const row = rows[0];
    if (!row || row.revokedAt !== null || !keyMatchesHash(key, row.hash) || !isRole(row.role)) throw invalid;
    return { id: row.id, name: row.name, role: row.role, channelIds: row.channelIds };
  };
}

/**
 * For tests only: trusts `X-Actor` (name, default 'anonymous'), `X-Role` (default 'admin') and
 * `X-Channels` (comma-separated channel codes). Anyone can send headers, so never use it in a server.
 */
export const headerAuthenticator: Authenticator = async (req) => {
  const name = req.header('X-Actor') ?? 'anonymous';
  const role = req.header('X-Role') ?? 'admin';
  if (!isRole(role)) throw new AuthenticationError(`X-Role must be one of the roles, not "${role}"`);
  const channelIds = (req.header('X-Channels') ?? '')
    .split(',')
    .map((code) => code.trim())
    .filter(Boolean);
  return { id: `test:${name}`, name, role, channelIds };
};
