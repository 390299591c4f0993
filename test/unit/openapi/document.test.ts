// The OpenAPI document built from the route documentation: valid OpenAPI 3.1 (structure, every Schema
// Object, every $ref, every example against its schema), request examples accepted by the very zod
// schemas the routers validate with, and the problem responses each operation can give.
import { CreateCampaignSchema } from '../../../domain/campaign-plan';
import { ChangeMaterialBody } from '../../../api/placements/routes';
import { openApiDocument, ROUTE_DOCS } from '../../../api/openapi/document';
import {
  buildOpenApiDocument,
  errorStatuses,
  openApiPath,
  type RouteDoc,
} from '../../../api/openapi/registry';
import { z } from 'zod';
import { openApiProblems } from './oas-validator';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, read field by field
type Json = Record<string, any>;
const doc = openApiDocument() as Json;
const op = (method: string, path: string) => doc.paths[path][method] as Json;

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 with valid schemas, resolvable references and matching examples', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(openApiProblems(doc)).toEqual([]);
  });

  it('is reported invalid when an example, a reference or a schema is broken', () => {
    const broken = structuredClone(doc);
    broken.paths['/campaigns'].post.requestBody.content['application/json'].example.channels = 'all';
    broken.paths['/channels'].get.responses['200'].content['application/json'].schema = {
      $ref: '#/components/schemas/NoSuchSchema',
    };
    broken.components.schemas.Channel.type = 'objekt';
    const problems = openApiProblems(broken).join('\n');
    expect(problems).toMatch(/requestBody.*example does not match.*channels/);
    expect(problems).toMatch(/NoSuchSchema/);
    expect(problems).toMatch(/components\/schemas\/Channel: .*objekt/);
  });

  it('documents every request body with the schema the router validates, and its example passes it', () => {
    expect(ROUTE_DOCS.find((r) => r.path === '/campaigns' && r.method === 'post')?.body?.schema).toBe(
      CreateCampaignSchema,
    );
    expect(ROUTE_DOCS.find((r) => r.path === '/campaigns/:id/material')?.body?.schema).toBe(
      ChangeMaterialBody,
    );
    const bodies = ROUTE_DOCS.filter((r) => r.body);
    expect(bodies.length).toBeGreaterThan(15);
    for (const route of bodies) {
      const result = route.body!.schema.safeParse(route.body!.example);
      expect({ route: `${route.method} ${route.path}`, issues: result.error?.issues ?? [] }).toEqual({
        route: `${route.method} ${route.path}`,
        issues: [],
      });
    }
  });

  it('names every path parameter of a route in its params schema, and nothing else', () => {
    for (const route of ROUTE_DOCS) {
      const names = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]).sort();
      const documented = (op(route.method, openApiPath(route.path)).parameters ?? [])
        .filter((p: Json) => p.in === 'path')
        .map((p: Json) => p.name)
        .sort();
      expect({ route: route.path, documented }).toEqual({ route: route.path, documented: names });
    }
  });

  it('gives each operation the problem responses it can answer', () => {
    const create = op('post', '/campaigns');
    for (const status of ['400', '401', '403', '409', '413', '415', '422', '429', '500']) {
      expect(create.responses[status]).toEqual({ $ref: `#/components/responses/Problem${status}` });
    }
    expect(create.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    const read = op('get', '/campaigns/{id}');
    expect(Object.keys(read.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '429',
      '500',
      '503',
    ]);
    expect(doc.components.responses.Problem400.content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/ValidationProblem',
    });
    expect(doc.components.responses.Problem429.headers['Retry-After']).toBeDefined();
  });

  it('marks public endpoints as needing no key, and names the roles of the others', () => {
    expect(op('get', '/healthz').security).toEqual([]);
    expect(op('get', '/healthz').responses['401']).toBeUndefined();
    expect(op('get', '/openapi.json').security).toEqual([]);
    expect(op('post', '/campaigns')['x-roles']).toEqual(['marketer', 'admin']);
    expect(op('post', '/campaigns').description).toMatch(/Roles: marketer, admin\./);
    expect(doc.security).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }]);
  });

  it('lifts nested $defs into components so that no reference points into a schema', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain('#/$defs/');
    expect(text).not.toContain('"$schema"');
    // Recursive parts become components named after what they are, shared by every schema using them.
    expect(JSON.stringify(doc.components.schemas.CreateMaterialRequest)).toContain(
      '#/components/schemas/TargetingRule',
    );
    expect(JSON.stringify(doc.components.schemas.VariantInput)).toContain(
      '#/components/schemas/TargetingRule',
    );
    expect(JSON.stringify(doc.components.schemas.CreateCampaignRequest)).toContain(
      '#/components/schemas/ActivationRuleInput',
    );
    expect(JSON.stringify(doc.components.schemas.CampaignTimeline)).toContain(
      '#/components/schemas/TimelineStep',
    );
    expect(Object.keys(doc.components.schemas).filter((name) => /\d$|_/.test(name))).toEqual([]);
  });
});

describe('buildOpenApiDocument', () => {
  const base: RouteDoc = {
    method: 'get',
    path: '/things/:thingId',
    tag: 'Things',
    operationId: 'getThing',
    summary: 'A thing',
    params: z.object({ thingId: z.string() }),
    query: z.object({ limit: z.coerce.number().int().default(5), q: z.string() }),
    responses: { 200: { description: 'ok', schema: z.object({ id: z.string() }), example: { id: 'a' } } },
  };
  const info = {
    title: 't',
    version: '1',
    description: 'd',
    tags: [{ name: 'Things', description: 'things' }],
  };

  it('turns Express paths and zod params and queries into OpenAPI parameters', () => {
    const built = buildOpenApiDocument([base], info) as Json;
    const getThing = built.paths['/things/{thingId}'].get;
    expect(getThing.parameters).toEqual([
      { name: 'thingId', in: 'path', required: true, schema: { type: 'string' } },
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ type: 'integer', default: 5 }),
      },
      { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
    ]);
    expect(getThing.description).toMatch(/not in the access policy/);
    expect(openApiProblems(built)).toEqual([]);
  });

  it('refuses a route documented twice and two schemas under one name', () => {
    expect(() => buildOpenApiDocument([base, base], info)).toThrow(/documented twice/);
    const twice: RouteDoc[] = [
      {
        ...base,
        responses: { 200: { description: 'a', name: 'Thing', schema: z.object({ a: z.string() }) } },
      },
      {
        ...base,
        path: '/other',
        params: undefined,
        operationId: 'other',
        responses: { 200: { description: 'b', name: 'Thing', schema: z.object({ b: z.string() }) } },
      },
    ];
    expect(() => buildOpenApiDocument(twice, info)).toThrow(/two different schemas are documented as Thing/);
  });

  it('adds 413 and 415 to operations that can carry a body, and 409/422 to idempotent ones', () => {
    expect(errorStatuses(base)).toEqual([400, 401, 403, 429, 500, 503]);
    // A POST without a body schema still meets the body checks, which run before routing.
    expect(errorStatuses({ ...base, method: 'post' })).toEqual([400, 401, 403, 413, 415, 429, 500, 503]);
    expect(
      errorStatuses({
        ...base,
        method: 'post',
        idempotent: true,
        body: { schema: z.object({}), name: 'B', example: {} },
      }),
    ).toEqual([400, 401, 403, 409, 413, 415, 422, 429, 500, 503]);
  });
});
