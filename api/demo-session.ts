// GET /console/demo-session: the demo marketer's key, so that in demo mode the console opens signed in
// (docs/demo.md). Answered only when `npm start` runs the demo (it hands the API the key) AND the API
// listens on loopback AND the request comes from loopback: a key must never be given out to a network.
// Everything else gets 404, as if the route did not exist, and the console asks for a key as usual.
import { Router } from 'express';
import { Problem } from './problem';

export interface DemoSession {
  apiKey: string;
  /** The key's name, shown in the console's user field. */
  actor: string;
  /** The host the API listens on (API_HOST). */
  listenHost: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** A host name or address that only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string | undefined): boolean {
  if (!host) return false;
  const bare = host.replace(/^\[|\]$/g, '').replace(/^::ffff:/i, '');
  return LOOPBACK_HOSTS.has(bare.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(bare);
}

export function demoSessionRoutes(session: DemoSession | null): Router {
  const router = Router();
  router.get('/console/demo-session', (req, res) => {
    if (!session || !isLoopback(session.listenHost) || !isLoopback(req.socket.remoteAddress)) {
      throw new Problem(404, 'Not Found', 'no demo session: the console needs your API key');
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({ apiKey: session.apiKey, actor: session.actor });
  });
  return router;
}
