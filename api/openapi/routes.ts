// GET /openapi.json (the OpenAPI 3.1 description) and GET /docs, the interactive reference that renders
// it: Swagger UI from the pinned swagger-ui-dist package, with a small start-up script of ours. Every
// file is served by this API (no CDN), so the page's Content-Security-Policy allows only 'self'.
import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { openApiDocument } from './document';

/** docs-ui/ beside this file (source), or in the source tree shipped beside dist/ (a build). */
export function docsUiDirectory(from = __dirname): string {
  const candidates = [
    path.join(from, 'docs-ui'),
    path.resolve(from, '..', '..', '..', 'api', 'openapi', 'docs-ui'),
  ];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'docs.js')));
  if (!found) throw new Error(`api/openapi/docs-ui not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** The files of swagger-ui-dist the page loads, by the name they are served under. */
function swaggerUiFiles(): Record<string, string> {
  const dist = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  return {
    'swagger-ui-bundle.js': path.join(dist, 'swagger-ui-bundle.js'),
    'swagger-ui.css': path.join(dist, 'swagger-ui.css'),
  };
}

export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // Swagger UI (React) sets element styles from script; it loads no style from elsewhere.
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function openApiRoutes(dir = docsUiDirectory()): Router {
  const router = Router();
  const vendor = swaggerUiFiles();
  const assets: Record<string, string> = {
    'docs.js': path.join(dir, 'docs.js'),
    'docs.css': path.join(dir, 'docs.css'),
  };
  const page = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');

  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(openApiDocument());
  });

  const secure = (res: import('express').Response) =>
    res
      .setHeader('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY)
      .setHeader('X-Content-Type-Options', 'nosniff')
      .setHeader('Referrer-Policy', 'no-referrer');

  router.get('/docs', (_req, res) => {
    secure(res).status(200).type('html').setHeader('Cache-Control', 'no-cache').send(page);
  });

  const serveFrom =
    (files: Record<string, string>, cacheControl: string) =>
    (
      req: import('express').Request,
      res: import('express').Response,
      next: import('express').NextFunction,
    ) => {
      const file = files[String(req.params.file)];
      if (!file) return next();
      secure(res).sendFile(file, { headers: { 'Cache-Control': cacheControl } }, (err) => err && next(err));
    };
  // Pinned versions: a deploy that changes one changes package.json, and the page reloads with it.
  router.get('/docs/vendor/:file', serveFrom(vendor, 'public, max-age=3600'));
  router.get('/docs/assets/:file', serveFrom(assets, 'public, max-age=300'));

  return router;
}
