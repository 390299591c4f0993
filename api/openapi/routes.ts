// GET /openapi.json (the OpenAPI 3.1 description) and GET /docs (a page that renders it, with a "try it"
// form). The page is one HTML document whose style and script are inlined at start-up and allowed by
// their hashes in the Content-Security-Policy: no CDN, no other origin, no other route to protect.
import { createHash } from 'node:crypto';
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

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function buildDocsPage(dir = docsUiDirectory()): { html: string; csp: string } {
  const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
  const style = `\n${read('docs.css')}\n`;
  const script = `\n${read('docs.js')}\n`;
  // Replaced as whole elements' contents, so that the hashes cover exactly what the browser executes.
  const html = read('index.html')
    .replace(/<style>[\s\S]*?<\/style>/, () => `<style>${style}</style>`)
    .replace(/<script>[\s\S]*?<\/script>/, () => `<script>${script}</script>`);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

export function openApiRoutes(): Router {
  const router = Router();
  const page = buildDocsPage();

  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(openApiDocument());
  });

  router.get('/docs', (_req, res) => {
    res
      .status(200)
      .type('html')
      .setHeader('Content-Security-Policy', page.csp)
      .setHeader('X-Content-Type-Options', 'nosniff')
      .setHeader('Referrer-Policy', 'no-referrer')
      .send(page.html);
  });

  return router;
}
