// GET /openapi.json and GET /docs served by the real app: the document validates as OpenAPI 3.1, every
// route the app serves is documented (and every documented operation is served), and the docs page is
// self-contained (no other origin) under a Content-Security-Policy that allows exactly its own code.
import request from 'supertest';
import { listAppRoutes } from '../../../api/auth/app-routes';
import { openApiPath } from '../../../api/openapi/registry';
import { createTestContext, type TestContext } from '../../support/context';
import { openApiProblems } from '../../unit/openapi/oas-validator';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, read field by field
type Json = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('GET /openapi.json', () => {
  let doc: Json;
  beforeAll(async () => {
    const res = await request(ctx.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    doc = res.body;
  });

  it('validates as OpenAPI 3.1', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(openApiProblems(doc)).toEqual([]);
  });

  it('documents every route of the app, and documents nothing the app does not serve', () => {
    // Routes of the app's routers (Express 5: app.router.stack and each mounted router's stack). Static
    // file mounts (the console's assets) are prefixes, not operations; the console's own routes under
    // /console/ (vendor libraries, the demo session) serve the console, not API clients.
    const served = new Set(
      listAppRoutes(ctx.app)
        .filter((r) => !r.prefix && !r.path.startsWith('/console/'))
        .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`),
    );
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((m) => METHODS.includes(m))
          .map((m) => `${m} ${path}`),
      ),
    );
    expect(served.size).toBeGreaterThan(40);
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
    for (const route of ['get /campaigns/{id}/timeline', 'get /ops/campaigns', 'get /metrics', 'get /docs']) {
      expect(served).toContain(route);
    }
  });
});

describe('GET /docs', () => {
  it('serves the reference page, whose every file comes from this server under a self-only policy', async () => {
    const res = await request(ctx.app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const html = res.text;
    // Nothing from another origin: no CDN links, no external script or style, no inline script.
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/<script>[^<]/);
    const files = [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1]!);
    expect(files.sort()).toEqual([
      '/docs/assets/docs.css',
      '/docs/assets/docs.js',
      '/docs/vendor/swagger-ui-bundle.js',
      '/docs/vendor/swagger-ui.css',
    ]);
    for (const file of files) {
      const served = await request(ctx.app).get(file);
      expect([file, served.status]).toEqual([file, 200]);
      expect(served.headers['content-type']).toMatch(file.endsWith('.js') ? /javascript/ : /text\/css/);
    }
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe|https?:)/);
  });

  it('starts Swagger UI on /openapi.json without its external validator', async () => {
    const script = (await request(ctx.app).get('/docs/assets/docs.js')).text;
    expect(script).toContain("url: '/openapi.json'");
    expect(script).toContain('validatorUrl: null');
  });

  it('serves no other file under /docs', async () => {
    for (const file of [
      '/docs/vendor/index.html',
      '/docs/vendor/..%2Fpackage.json',
      '/docs/assets/index.html',
    ]) {
      expect([file, (await request(ctx.app).get(file)).status]).toEqual([file, 404]);
    }
  });
});
