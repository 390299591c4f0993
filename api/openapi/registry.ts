// The route documentation registry and the OpenAPI 3.1 builder. Each resource file (campaigns.ts,
// channels.ts, …) lists its routes as RouteDocs that point at the very zod schemas the routers validate
// with; this module turns them into JSON Schema 2020-12 (the dialect of OpenAPI 3.1) with zod's own
// z.toJSONSchema, adds the problem+json error responses every route can give, and assembles the document.
import { z } from 'zod';
import { POLICY } from '../auth/policy';
import { ProblemSchema, ValidationProblemSchema } from './common';
import { kindOfStatus, PROBLEM_TYPES, problemTypeUri, type ProblemKind } from '../problem-types';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';
type JsonSchema = Record<string, unknown>;

export interface BodyDoc {
  /** The schema the router validates the body with. */
  schema: z.ZodType;
  /** Component name under #/components/schemas. */
  name: string;
  example: unknown;
  description?: string;
}

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  name?: string;
  example?: unknown;
  /** Default application/json. */
  contentType?: string;
  /** Response headers beyond X-Request-Id, by name: see HEADERS. */
  headers?: (keyof typeof HEADERS)[];
}

export interface HeaderParamDoc {
  name: string;
  description: string;
  required?: boolean;
  example?: string;
}

export interface RouteDoc {
  method: HttpMethod;
  /** The Express route pattern, exactly as the router declares it ('/campaigns/:id'). */
  path: string;
  tag: string;
  operationId: string;
  summary: string;
  description?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: BodyDoc;
  /** The route honours Idempotency-Key (api/handler.ts idempotent()): adds the header and its errors. */
  idempotent?: boolean;
  headers?: HeaderParamDoc[];
  responses: Record<number, ResponseDoc>;
  /** Problem statuses particular to this route (404, 409, 422, …); the common ones are added. */
  errors?: number[];
}

export const HEADERS = {
  Location: {
    description: 'Where the created (or triggered) resource can be read',
    schema: { type: 'string' },
  },
  ETag: {
    description: "The resource's version as an entity tag; send it back in If-Match to update safely",
    schema: { type: 'string' },
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored reply to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  'Content-Disposition': { description: 'The attachment file name', schema: { type: 'string' } },
} as const;

/** Titles of the problem responses, by status: what every problem body of that status says. */
export const PROBLEMS: Record<number, { title: string; description: string; detail: string }> = {
  400: {
    title: 'Invalid request',
    description: 'The request is malformed: every invalid field is named in `errors`',
    detail: '2 invalid field(s): name, plan.registrationWindow.end',
  },
  401: {
    title: 'Unauthorized',
    description: 'No API key, or one that is unknown, malformed or revoked',
    detail: 'send an API key: "Authorization: Bearer <key>" or "X-Api-Key: <key>"',
  },
  403: {
    title: 'Forbidden',
    description: "The key's role may not call this endpoint, or the data belongs to another channel",
    detail: 'the role marketer may not call GET /campaigns/:id/history',
  },
  404: {
    title: 'Not Found',
    description: 'The resource does not exist',
    detail: 'campaign 7f1c1b9e-3a52-4c1e-9d36-0c8e2f1d5a10 does not exist',
  },
  409: {
    title: 'Conflict',
    description:
      'The request conflicts with the current state (a workflow refusing a steering action, a duplicate, an Idempotency-Key still in progress)',
    detail: 'cannot pause a campaign that is cancelled',
  },
  412: {
    title: 'Precondition Failed',
    description: 'If-Match names an older version than the stored one',
    detail: 'the channel was changed since version 3; read it again and retry',
  },
  413: {
    title: 'Payload Too Large',
    description: 'The body is larger than 1 MB',
    detail: 'request body is too large',
  },
  415: {
    title: 'Unsupported Media Type',
    description: 'The body is not application/json',
    detail: 'send the body as application/json',
  },
  422: {
    title: 'Unprocessable Content',
    description:
      'Well-formed but not accepted as it stands (e.g. an Idempotency-Key reused for another request)',
    detail: 'Idempotency-Key was already used with a different request',
  },
  428: {
    title: 'Precondition Required',
    description: 'The write must name the version it edits (If-Match) and did not',
    detail: 'send If-Match with the ETag of the version you edited ("0" when none was stored yet)',
  },
  429: {
    title: 'Too Many Requests',
    description: 'The rate limit of this API key is spent; retry after `Retry-After` seconds',
    detail: 'rate limit exceeded; retry in 12 s',
  },
  500: {
    title: 'Internal Server Error',
    description: 'An unexpected error; the log line with the same requestId has the details',
    detail: 'an unexpected error occurred; see the server log',
  },
  503: {
    title: 'Service Unavailable',
    description:
      'PostgreSQL or Temporal does not answer (`dependency-unavailable`; GET /readyz says which), or an ingest batch was not taken in time under load (`ingest-busy`); nothing was changed. Retry after `Retry-After` seconds',
    detail:
      'PostgreSQL does not answer; nothing was changed — retry shortly (GET /readyz says which dependency is down)',
  },
};

/** The problem kind each documented status stands for (its `type` URI in examples). */
const EXAMPLE_KIND: Record<string, ProblemKind> = { '409': 'conflict', '503': 'dependency-unavailable' };

/** '/campaigns/:id' → '/campaigns/{id}'. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/**
 * Collects component schemas while operations are converted. zod puts shared and recursive parts of a
 * schema under its own `$defs` with `#/$defs/…` references; inside an OpenAPI document those would
 * resolve against the document root, so they are lifted to components and their references rewritten.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly names = new Map<string, z.ZodType>();
  /** Lifted definitions by component name, as canonical JSON. */
  private readonly lifted = new Map<string, string>();

  /** Converts `schema` once under `name` and returns a reference to it. */
  ref(name: string, schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const key = `${name}`;
    const known = this.names.get(key);
    if (known && known !== schema) throw new Error(`two different schemas are documented as ${key}`);
    if (!known) {
      this.names.set(key, schema);
      this.schemas[key] = this.convert(key, schema, io);
    }
    return { $ref: `#/components/schemas/${key}` };
  }

  /** Converts `schema` inline (parameters), lifting its `$defs` under `name`. */
  inline(name: string, schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    return this.convert(name, schema, io);
  }

  private convert(name: string, schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      // Refinements and transforms have no JSON Schema form: document the shape, the API checks the rest.
      unrepresentable: 'any',
    }) as JsonSchema;
    delete json.$schema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    const names = new Map(Object.keys(defs).map((def) => [def, this.liftedName(def, defs[def]!, json, io)]));
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) =>
          k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
            ? [k, `#/components/schemas/${names.get(v.slice('#/$defs/'.length))}`]
            : [k, rewrite(v)],
        ),
      );
    };
    for (const [def, body] of Object.entries(defs))
      this.schemas[names.get(def)!] = rewrite(body) as JsonSchema;
    return rewrite(json) as JsonSchema;
  }

  /**
   * The component name of a lifted definition: its zod id when it has one, else (zod calls recursive
   * parts __schema0, …) the property that holds it ("activationRule" → ActivationRule). The same
   * definition lifted from several schemas (the activation rule of every campaign shape) becomes one
   * component; a different one under a taken name is suffixed Input/Output, then numbered.
   */
  private liftedName(def: string, body: JsonSchema, root: JsonSchema, io: 'input' | 'output'): string {
    const property = def.startsWith('__') ? propertyHolding(root, `#/$defs/${def}`) : def;
    const base = DEF_NAMES[property ?? ''] ?? (property ? pascal(property) : 'Schema');
    // Compared with its self-references neutralised, since those name the definition itself.
    const canonical = JSON.stringify(body).split(`"#/$defs/${def}"`).join('"#self"');
    // A request's shape (defaults optional) and a response's (defaults filled) may differ.
    const candidates = [base, `${base}${io === 'input' ? 'Input' : 'Output'}`];
    for (let n = 0; ; n++) {
      const name = candidates[n] ?? `${base}${n}`;
      const known = this.lifted.get(name);
      if (known === undefined) {
        this.lifted.set(name, canonical);
        return name;
      }
      if (known === canonical) return name;
    }
  }
}

/** Names for recursive definitions whose holding property says too little. */
const DEF_NAMES: Record<string, string> = { rule: 'TargetingRule', basis: 'JsonValue' };

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The name of the first object property whose schema (at any depth) holds `ref`. */
function propertyHolding(root: unknown, ref: string): string | null {
  const contains = (value: unknown): boolean =>
    Array.isArray(value)
      ? value.some(contains)
      : value !== null && typeof value === 'object'
        ? Object.entries(value).some(([k, v]) => (k === '$ref' && v === ref) || contains(v))
        : false;
  const search = (value: unknown): string | null => {
    if (Array.isArray(value)) {
      for (const item of value) {
        const found = search(item);
        if (found) return found;
      }
      return null;
    }
    if (value === null || typeof value !== 'object') return null;
    const properties = (value as JsonSchema).properties as Record<string, unknown> | undefined;
    for (const [key, sub] of Object.entries(properties ?? {})) {
      if (contains(sub)) return search(sub) ?? key;
    }
    for (const [key, sub] of Object.entries(value)) {
      if (key === 'properties') continue;
      const found = search(sub);
      if (found) return found;
    }
    return null;
  };
  return search(root);
}

/** Path or query parameters from a zod object schema: one parameter per property. */
function parametersOf(
  components: SchemaComponents,
  name: string,
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
): JsonSchema[] {
  if (!schema) return [];
  const json = components.inline(name, schema, 'input');
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([param, body]) => {
    const { description, ...rest } = body;
    return {
      name: param,
      in: where,
      required: where === 'path' || required.has(param),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function rolesOf(route: RouteDoc): 'public' | readonly string[] | null {
  const entry = POLICY.find((e) => e.method === route.method.toUpperCase() && e.path === route.path);
  return entry ? entry.allow : null;
}

/** The problem statuses a route can answer: its own, plus those that follow from what it takes. */
export function errorStatuses(route: RouteDoc): number[] {
  const statuses = new Set<number>(route.errors ?? []);
  const roles = rolesOf(route);
  if (roles !== 'public') [401, 403, 429].forEach((s) => statuses.add(s));
  if (route.params || route.query || route.body || route.idempotent || route.headers?.length)
    statuses.add(400);
  // The body checks (api/app.ts: JSON only, at most 1 MB) run before routing, for every method that can
  // carry a body: a POST that takes none still answers 415 to a text body (found by the response check).
  if (route.body || ['post', 'put', 'patch'].includes(route.method))
    [413, 415].forEach((s) => statuses.add(s));
  if (route.idempotent) [409, 422].forEach((s) => statuses.add(s));
  statuses.add(500);
  // Every operation that reaches PostgreSQL or Temporal can meet one of them down (api/problem-types.ts).
  statuses.add(503);
  return [...statuses].sort((a, b) => a - b);
}

function operationOf(route: RouteDoc, components: SchemaComponents): JsonSchema {
  const roles = rolesOf(route);
  const parameters = [
    ...parametersOf(components, `${route.operationId}Params`, route.params, 'path'),
    ...parametersOf(components, `${route.operationId}Query`, route.query, 'query'),
    // A route that requires the key declares it in `headers` (required), in place of the shared optional one.
    ...(route.idempotent && !route.headers?.some((h) => h.name === 'Idempotency-Key')
      ? [{ $ref: '#/components/parameters/IdempotencyKey' }]
      : []),
    ...(route.headers ?? []).map((h) => ({
      name: h.name,
      in: 'header',
      required: h.required ?? false,
      description: h.description,
      schema: { type: 'string' },
      ...(h.example ? { example: h.example } : {}),
    })),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const headers: Record<string, unknown> = { 'X-Request-Id': { $ref: '#/components/headers/RequestId' } };
    for (const h of response.headers ?? []) headers[h] = HEADERS[h];
    if (route.idempotent) headers['Idempotent-Replayed'] = HEADERS['Idempotent-Replayed'];
    responses[status] = {
      description: response.description,
      headers,
      ...(response.schema || response.example !== undefined
        ? {
            content: {
              [response.contentType ?? 'application/json']: {
                ...(response.schema
                  ? {
                      schema: response.name
                        ? components.ref(response.name, response.schema, 'output')
                        : components.inline(`${route.operationId}${status}`, response.schema, 'output'),
                    }
                  : {}),
                ...(response.example !== undefined ? { example: response.example } : {}),
              },
            },
          }
        : {}),
    };
  }
  for (const status of errorStatuses(route)) {
    responses[String(status)] ??= { $ref: `#/components/responses/Problem${status}` };
  }
  const roleText =
    roles === 'public'
      ? 'Public: no API key needed.'
      : roles
        ? `Roles: ${roles.join(', ')}.`
        : 'Roles: not in the access policy yet (admin only).';
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description: [route.description, roleText].filter(Boolean).join('\n\n'),
    ...(roles === 'public' ? { security: [] } : {}),
    ...(roles && roles !== 'public' ? { 'x-roles': roles } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            ...(route.body.description ? { description: route.body.description } : {}),
            content: {
              'application/json': {
                schema: components.ref(route.body.name, route.body.schema, 'input'),
                example: route.body.example,
              },
            },
          },
        }
      : {}),
    responses,
  };
}

function problemResponses(components: SchemaComponents): Record<string, unknown> {
  const problem = components.ref('Problem', ProblemSchema, 'output');
  const validation = components.ref('ValidationProblem', ValidationProblemSchema, 'output');
  return Object.fromEntries(
    Object.entries(PROBLEMS).map(([status, p]) => [
      `Problem${status}`,
      {
        description: p.description,
        headers: {
          'X-Request-Id': { $ref: '#/components/headers/RequestId' },
          ...(status === '429' || status === '503'
            ? {
                'Retry-After': {
                  description: 'Seconds to wait before retrying',
                  schema: { type: 'integer' },
                },
              }
            : {}),
          ...(status === '401'
            ? { 'WWW-Authenticate': { description: 'Always `Bearer`', schema: { type: 'string' } } }
            : {}),
        },
        content: {
          'application/problem+json': {
            schema: status === '400' ? validation : problem,
            example: {
              type: problemTypeUri(EXAMPLE_KIND[status] ?? kindOfStatus(Number(status))),
              title: p.title,
              status: Number(status),
              detail: p.detail,
              retryable: PROBLEM_TYPES[EXAMPLE_KIND[status] ?? kindOfStatus(Number(status))].retryable,
              requestId: '0b6c3f5e-8f0e-4a43-9a55-1f1d7c1c2a9e',
              ...(status === '400'
                ? {
                    errors: [
                      { field: 'name', message: 'Too small: expected string to have >=1 characters' },
                      {
                        field: 'plan.registrationWindow.end',
                        message: 'must be after registrationWindow.start',
                      },
                    ],
                  }
                : {}),
            },
          },
        },
      },
    ]),
  );
}

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
  tags: { name: string; description: string }[];
}

export function buildOpenApiDocument(routes: readonly RouteDoc[], info: DocumentInfo): JsonSchema {
  const components = new SchemaComponents();
  const paths: Record<string, Record<string, unknown>> = {};
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`${key} is documented twice`);
    seen.add(key);
    (paths[openApiPath(route.path)] ??= {})[route.method] = operationOf(route, components);
  }
  const responses = problemResponses(components);
  return {
    openapi: '3.1.1',
    info: { title: info.title, version: info.version, description: info.description },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/', description: 'This API' }],
    tags: info.tags,
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    paths,
    components: {
      schemas: components.schemas,
      responses,
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes the request safe to retry: the first reply is stored, a retry with the same key and body gets it again (with `Idempotent-Replayed: true`), the same key with another body is refused (422). 1–200 visible ASCII characters.',
          schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
          example: 'create-spring-campaign-2026-01',
        },
      },
      headers: {
        RequestId: {
          description:
            'The request id (the X-Request-Id sent, when well-formed, else a new UUID); logged with every line',
          schema: { type: 'string' },
        },
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (`ck_<prefix>_<secret>`) as `Authorization: Bearer <key>`',
        },
        apiKeyHeader: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Api-Key',
          description: 'The same key in X-Api-Key',
        },
      },
    },
  };
}
