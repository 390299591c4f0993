// The response check every integration and browser test file runs (test/setup/response-validation.ts)
// must be able to fail: a body that lacks a required field, an undocumented status, a problem that is
// not a problem document, an operation the document does not have — each is a violation that says where.
import express from 'express';
import request from 'supertest';
import { openApiDocument } from '../../../api/openapi/document';
import {
  formatViolations,
  installResponseRecorder,
  ResponseContract,
  type SentResponse,
} from '../../support/response-contract';

const contract = new ResponseContract(openApiDocument());
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const sent = (over: Partial<SentResponse>): SentResponse => ({
  method: 'GET',
  path: '/healthz',
  status: 200,
  contentType: 'application/json; charset=utf-8',
  body: json({ status: 'ok' }),
  ...over,
});
const problem = (status: number, extra: Record<string, unknown> = {}) => ({
  type: 'https://campaigns.example/problems/not-found',
  title: 'Not Found',
  status,
  detail: 'x',
  retryable: false,
  ...extra,
});

describe('ResponseContract', () => {
  it('accepts a response as documented', () => {
    expect(contract.check(sent({}))).toBeNull();
  });

  it('names the missing required field and the operation', () => {
    const violation = contract.check(sent({ body: json({}) }));
    expect(violation).toMatchObject({ operation: 'GET /healthz', status: 200, path: '/healthz' });
    expect(violation!.problems.join('\n')).toMatch(/must have required property 'status'/);
  });

  it('names a wrong value by its place in the body', () => {
    const violation = contract.check(
      sent({
        path: '/readyz',
        body: json({ status: 'ready', checks: { database: { ok: 'yes' }, temporal: { ok: true } } }),
      }),
    );
    expect(violation!.problems.join('\n')).toMatch(/\/checks\/database\/ok: must be boolean \(got "yes"\)/);
  });

  it('counts an undocumented status, and says which are documented', () => {
    const violation = contract.check(sent({ status: 418, body: json({ status: 'ok' }) }));
    expect(violation!.problems).toEqual([
      expect.stringMatching(/^undocumented status 418 \(documented: 200/),
    ]);
  });

  it('validates problem+json against the problem schema: 400 must name its fields', () => {
    const path = '/channels/some-code';
    const ok = contract.check(
      sent({
        path,
        status: 404,
        contentType: 'application/problem+json',
        body: json(problem(404)),
      }),
    );
    expect(ok).toBeNull();
    const noRetryable = contract.check(
      sent({
        path,
        status: 404,
        contentType: 'application/problem+json',
        body: json({ ...problem(404), retryable: undefined }),
      }),
    );
    expect(noRetryable!.problems.join('\n')).toMatch(/required property 'retryable'/);
    const patch = contract.check(
      sent({
        method: 'PATCH',
        path,
        status: 400,
        contentType: 'application/problem+json',
        body: json(problem(400)),
      }),
    );
    expect(patch).toMatchObject({ operation: 'PATCH /channels/{code}' });
    expect(patch!.problems.join('\n')).toMatch(/required property 'errors'/);
  });

  it('refuses a media type the status does not document', () => {
    const violation = contract.check(sent({ contentType: 'text/html', body: Buffer.from('<p>ok</p>') }));
    expect(violation!.problems).toEqual([expect.stringMatching(/media type text\/html not documented/)]);
  });

  it('picks the most specific template: /campaigns/validate is not /campaigns/{id}', () => {
    expect(contract.operationOf('POST', '/campaigns/validate')?.template).toBe('/campaigns/validate');
    expect(contract.operationOf('GET', '/campaigns/7f1c1b9e-3a52-4c1e-9d36-0c8e2f1d5a10')?.template).toBe(
      '/campaigns/{id}',
    );
  });

  it('counts an undocumented operation, unless it is answered by a problem of the shared conventions', () => {
    expect(
      contract.check(sent({ path: '/no-such-route', status: 200, body: json({ ok: true }) }))!.problems,
    ).toEqual(['undocumented operation']);
    expect(
      contract.check(
        sent({
          path: '/no-such-route',
          status: 404,
          contentType: 'application/problem+json',
          body: json(problem(404)),
        }),
      ),
    ).toBeNull();
  });

  it('takes a path Express cannot decode for no operation: the gate answers it before routing', () => {
    expect(contract.operationOf('GET', '/docs/vendor/%zz')).toBeNull();
    expect(
      contract.check(
        sent({
          path: '/docs/vendor/%zz',
          status: 401,
          contentType: 'application/problem+json',
          body: json(problem(401)),
        }),
      ),
    ).toBeNull();
  });

  it('leaves the console files and CORS preflights alone (listed exemptions)', () => {
    expect(contract.check(sent({ path: '/console/app.js', contentType: 'text/javascript' }))).toBeNull();
    expect(contract.check(sent({ method: 'OPTIONS', path: '/campaigns', status: 204 }))).toBeNull();
  });

  it('prints one entry per distinct violation, with its count', () => {
    const v = contract.check(sent({ body: json({}) }))!;
    const text = formatViolations([v, v]);
    expect(text).toMatch(/^GET \/healthz → 200 \(e\.g\. \/healthz, 2×\)\n {4}\(body\): must have required/);
  });
});

describe('installResponseRecorder', () => {
  it('reports each finished response of any app: method, path, status, media type and body bytes', async () => {
    const seen: SentResponse[] = [];
    const uninstall = installResponseRecorder(express.response, (s) => seen.push(s));
    try {
      const app = express();
      app.get('/json', (_req, res) => {
        res.status(201).json({ a: 1 });
      });
      app.get('/stream', (_req, res) => {
        res.type('text/plain');
        res.write('part one, ');
        res.end('part two');
      });
      await request(app).get('/json?x=1');
      await request(app).get('/stream');
      expect(seen).toEqual([
        expect.objectContaining({ method: 'GET', path: '/json', status: 201 }),
        expect.objectContaining({ method: 'GET', path: '/stream', status: 200 }),
      ]);
      expect(seen[0]!.contentType).toMatch(/^application\/json/);
      expect(JSON.parse(seen[0]!.body!.toString())).toEqual({ a: 1 });
      expect(seen[1]!.body!.toString()).toBe('part one, part two');
    } finally {
      uninstall();
    }
    // Uninstalled: nothing more is reported.
    const app = express();
    app.get('/', (_req, res) => void res.json({}));
    await request(app).get('/');
    expect(seen).toHaveLength(2);
  });
});
