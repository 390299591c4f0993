// Who is calling: the principal every request after authentication carries in res.locals.principal,
// and the five roles the policy (policy.ts) grants routes to.
import type { Response } from 'express';

export const ROLES = ['marketer', 'ops', 'channel-system', 'admin', 'anti-fraud'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface Principal {
  /** The API key's id (or `test:<name>` for the test authenticator): what rate limits count against. */
  id: string;
  /** The key's name: the actor recorded in audit logs, approvals and acknowledgements. */
  name: string;
  role: Role;
  /** Channel codes a `channel-system` key may ingest for; empty for every other role. */
  channelIds: string[];
}

export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

/** The actor recorded in audit logs, approvals and acknowledgements: the caller's key name. */
export function actorOf(res: Response): string {
  return principalOf(res)?.name ?? 'anonymous';
}
