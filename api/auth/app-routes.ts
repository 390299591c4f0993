// Lists the routes an Express 5 app serves, by walking its router stack and the stacks of the routers
// mounted in it: each route with its methods, and each non-router middleware mounted at a path
// (express.static for the console) as a prefix. The policy test checks every one has a policy entry.
import type { Express } from 'express';

export interface AppRoute {
  /** Upper-case HTTP method; 'ALL' for router.all(). */
  method: string;
  path: string;
  /** true for a middleware mounted at `path` (it answers everything below it). */
  prefix: boolean;
}

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

export function listAppRoutes(app: Express): AppRoute[] {
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  return walk(router.stack, '');
}

function walk(stack: Layer[], base: string): AppRoute[] {
  const routes: AppRoute[] = [];
  for (const layer of stack) {
    for (const path of pathsOf(layer)) {
      const full = join(base, path);
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (!on) continue;
          routes.push({
            method: method === '_all' ? 'ALL' : method.toUpperCase(),
            path: full || '/',
            prefix: false,
          });
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        routes.push(...walk(layer.handle.stack, full));
      } else if (full !== '' && full !== '/') {
        routes.push({ method: 'GET', path: full, prefix: true });
      }
    }
  }
  return routes;
}

function pathsOf(layer: Layer): string[] {
  const raw = layer.route ? layer.route.path : layer.rawPath;
  const all = Array.isArray(raw) ? raw.flat(Infinity) : [raw];
  // A RegExp route cannot be checked against the policy: it shows up as its source, which no entry has.
  return all.map((p) => (typeof p === 'string' ? p : String(p)));
}

function join(base: string, path: string): string {
  if (path === '/' || path === '') return base;
  return `${base.replace(/\/$/, '')}${path}`;
}
