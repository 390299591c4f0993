// GET /openapi.json and GET /docs served by the real app: the document validates as OpenAPI 3.1, every
// route the app serves is documented (and every documented operation is served), and the docs page is
// self-contained (no other origin) under a Content-Security-Policy that allows exactly its own code.
import { createHash } from 'node:crypto';
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
  it('serves one self-contained page whose only script and style are allowed by their hashes', async () => {
    const res = await request(ctx.app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const html = res.text;
    expect(html).toContain("fetch('/openapi.json')");
    expect(html).toMatch(/<label for="api-key">API key<\/label>/);
    // Nothing from another origin: no CDN links, no external script or style.
    expect(html).not.toMatch(/(src|href)="https?:/);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
  });
});
