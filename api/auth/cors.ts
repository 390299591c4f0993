// CORS, off by default: without an allow-list no response carries Access-Control-* headers, so browsers
// only call the API from its own origin (the console it serves). CORS_ORIGINS lists the other origins
// allowed to call it; '*' allows any, which is safe here because credentials are API keys sent in
// headers, never cookies.
import type { RequestHandler } from 'express';

const ALLOWED_HEADERS = 'Authorization, X-Api-Key, Content-Type, Idempotency-Key, If-Match, X-Request-Id';
const EXPOSED_HEADERS =
  'X-Request-Id, Retry-After, Location, ETag, Idempotent-Replayed, X-RateLimit-Limit, X-RateLimit-Remaining, WWW-Authenticate';
const METHODS = 'GET, HEAD, POST, PATCH, PUT, DELETE';

export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins.map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean));
  if (allowed.size === 0) return (_req, _res, next) => next();
  const any = allowed.has('*');
  return (req, res, next) => {
    res.append('Vary', 'Origin');
    const origin = req.header('Origin');
    if (!origin || !(any || allowed.has(origin))) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    const preflight = req.method === 'OPTIONS' && req.header('Access-Control-Request-Method') !== undefined;
    if (!preflight) {
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      return next();
    }
    // A preflight carries no credentials: it is answered here, before authentication.
    res.setHeader('Access-Control-Allow-Methods', METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
