// The gate every request passes before any body parsing or handler: find the route's policy entry,
// let public routes through, authenticate (401), count the request against the key's rate limit (429),
// and check the role (403). Deny by default: a route the policy does not list is refused to every role
// but admin (for whom it then answers 404 if no such route exists either).
import type { RequestHandler } from 'express';
import type { Logger } from '../../infra/logger';
import { Problem } from '../problem';
import { AuthenticationError, type Authenticator } from './authenticator';
import { allows, resolvePolicy } from './policy';
import type { RateLimiter } from './rate-limit';

export const WWW_AUTHENTICATE = 'Bearer realm="campaign-orchestrator"';

export interface AccessControlOptions {
  authenticate: Authenticator;
  /** Absent: no rate limits (tests that are not about them). */
  rateLimiter?: RateLimiter;
}

export function accessControl({ authenticate, rateLimiter }: AccessControlOptions): RequestHandler {
  return async (req, res, next) => {
    const resolved = resolvePolicy(req.method, req.path);
    res.locals.policy = resolved;
    if (resolved?.entry.allow === 'public') return next();

    let principal;
    try {
      principal = await authenticate(req);
    } catch (err) {
      if (!(err instanceof AuthenticationError)) throw err;
      res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE);
      throw new Problem(401, 'Unauthorized', err.message);
    }
    res.locals.principal = principal;
    // The request log line (written on finish) then names the key that made the request.
    res.locals.log = (res.locals.log as Logger).child({ keyId: principal.id });

    if (rateLimiter) {
      const decision = await rateLimiter(principal);
      res.setHeader('X-RateLimit-Limit', String(decision.limit));
      res.setHeader('X-RateLimit-Remaining', String(decision.remaining));
      if (!decision.allowed) {
        res.setHeader('Retry-After', String(decision.resetSeconds));
        throw new Problem(
          429,
          'Too Many Requests',
          `this key may make ${decision.limit} requests per minute; retry in ${decision.resetSeconds} s`,
        );
      }
    }

    if (principal.role === 'admin') return next();
    if (!resolved) {
      throw new Problem(
        403,
        'Forbidden',
        `the ${principal.role} role has no access to ${req.method} ${req.path}`,
      );
    }
    if (!allows(resolved.entry, principal.role)) {
      throw new Problem(
        403,
        'Forbidden',
        `the ${principal.role} role may not call ${resolved.entry.method} ${resolved.entry.path}`,
        { allowedRoles: resolved.entry.allow },
      );
    }
    next();
  };
}
