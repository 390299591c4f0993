// Serves the browser console (console/: plain HTML, CSS and ES modules) at /console, from the same
// origin as the API so that its requests need no CORS. The console's pages are public files; every
// request they make to the API carries the user's own key and is checked there. Third-party browser
// code (Apache ECharts) is installed from npm, pinned in package.json, and served from node_modules
// under /console/vendor/ — never from a CDN, so the strict policy below needs no exception.
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/**
 * console/ sits at the project root; from source (api/) it is one level up, from a build
 * (dist/api/) two levels up. The first directory holding index.html wins.
 */
export function consoleDirectory(from = __dirname): string {
  const candidates = [path.resolve(from, '..', 'console'), path.resolve(from, '..', '..', 'console')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html')));
  if (!found) throw new Error(`console/index.html not found (looked in ${candidates.join(', ')})`);
  return found;
}

// Scripts and styles only from this origin, no inline script, no framing: a key typed into the
// console can only ever be sent to this API.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** The browser files of npm packages the console loads, by the name they are served under. */
function vendorFiles(): Record<string, string> {
  const echarts = path.dirname(require.resolve('echarts/package.json'));
  return { 'echarts.esm.min.js': path.join(echarts, 'dist', 'echarts.esm.min.js') };
}

export function consoleRoutes(dir = consoleDirectory()): Router {
  const vendor = vendorFiles();
  const router = Router();
  router.use('/console', (_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  // `/console` → `/console/`, so that the page's relative URLs (console.css, js/…) resolve under it.
  router.get('/console', (req, res, next) => {
    if (req.originalUrl.split('?')[0] !== '/console') return next();
    res.redirect(301, '/console/');
  });
  router.get('/console/vendor/:file', (req, res, next) => {
    const file = vendor[req.params.file];
    if (!file) return next();
    // Pinned versions: a deploy that changes one changes package.json, and the page reloads with it.
    res.sendFile(file, { headers: { 'Cache-Control': 'public, max-age=3600' } }, (err) => err && next(err));
  });
  router.use(
    '/console',
    express.static(dir, {
      index: 'index.html',
      redirect: false,
      // No caching of index.html, short caching of the rest: a deploy shows up on the next reload.
      setHeaders: (res, file) =>
        res.setHeader('Cache-Control', file.endsWith('.html') ? 'no-cache' : 'public, max-age=300'),
    }),
  );
  return router;
}
