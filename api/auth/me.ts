// GET /me: who the caller is — the API key's name and role — and which guarded routes that role may
// call, straight from the access policy. The console reads it to hide the controls a role may not use
// (the API still refuses them: this is a courtesy, not the check).
import { Router } from 'express';
import { z } from 'zod';
import { handle } from '../handler';
import { Problem } from '../problem';
import { allows, POLICY } from './policy';
import { principalOf, ROLES } from './principal';

export const MeSchema = z.object({
  name: z
    .string()
    .meta({ description: 'The API key’s name: the actor recorded in audit logs and approvals' }),
  role: z.enum(ROLES),
  channelIds: z
    .array(z.string())
    .meta({ description: 'For channel-system keys: the channels it ingests for' }),
  allowed: z.array(z.object({ method: z.string(), path: z.string() })).meta({
    description: 'Every guarded route (method and Express pattern, as in the policy) this role may call',
  }),
});
export type Me = z.infer<typeof MeSchema>;

export function meRoutes(): Router {
  const router = Router();
  router.get(
    '/me',
    handle(async (_req, res) => {
      const principal = principalOf(res);
      // The gate lets nobody through without a principal; reaching here without one is a wiring bug.
      if (!principal) throw new Problem(401, 'Unauthorized', 'send an API key');
      const body: Me = {
        name: principal.name,
        role: principal.role,
        channelIds: principal.channelIds,
        allowed: POLICY.filter((e) => e.allow !== 'public' && allows(e, principal.role)).map((e) => ({
          method: e.method,
          path: e.path,
        })),
      };
      return { status: 200, headers: { 'Cache-Control': 'no-store' }, body };
    }),
  );
  return router;
}
