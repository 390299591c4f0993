// Reads the API's own OpenAPI document (GET /openapi.json) into the list of operations the fuzz test
// walks: method, path template, path / query / header parameters, the JSON request body's schema and
// example, and the roles the operation allows. Also answers schema questions about one field of a body:
// is the object it sits in a fixed shape (so an unknown key must be refused), is it a recursive schema
// (so nesting it 5,000 deep is a meaningful attack), is it a date-time.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON Schema, read key by key
export type Schema = Record<string, any>;

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** OpenAPI template: /campaigns/{id}. */
  path: string;
  operationId: string;
  params: Param[];
  body?: { schema: Schema; example: unknown };
  /** 'public' or the roles the operation's x-roles names. */
  roles: 'public' | string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(doc: Schema): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Schema>)) {
    for (const method of METHODS) {
      const op = item[method] as Schema | undefined;
      if (!op) continue;
      const params = ((op.parameters ?? []) as Schema[]).map((p) => resolve(doc, p) as Param);
      const content = op.requestBody?.content?.['application/json'] as Schema | undefined;
      ops.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId as string,
        params: params.map((p) => ({
          ...p,
          required: Boolean(p.required),
          schema: resolve(doc, p.schema ?? {}),
        })),
        body: content ? { schema: content.schema as Schema, example: content.example ?? {} } : undefined,
        roles: Array.isArray(op['x-roles']) ? (op['x-roles'] as string[]) : 'public',
      });
    }
  }
  return ops;
}

/** Follows a local $ref (#/components/...) to what it names. */
export function resolve(doc: Schema, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 20 && typeof s?.$ref === 'string'; i++) {
    s = (s.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce<Schema>((node, key) => node?.[key] as Schema, doc);
  }
  return s ?? {};
}

/** The alternatives a schema allows (anyOf / oneOf), flattened; the schema itself when it has none. */
export function alternatives(doc: Schema, schema: Schema): Schema[] {
  const s = resolve(doc, schema);
  const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  return alts ? alts.flatMap((a) => alternatives(doc, a)) : [s];
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The alternative of `schema` that fits `value` best: the same JSON type and, for objects, the most shared keys. */
export function branchFor(doc: Schema, schema: Schema, value: unknown): Schema {
  const alts = alternatives(doc, schema);
  const t = typeOf(value);
  const fits = alts.filter((a) => {
    const at = a.type as string | undefined;
    if (at === undefined) return true;
    return at === t || (at === 'integer' && t === 'number');
  });
  if (t !== 'object' || fits.length <= 1) return fits[0] ?? alts[0] ?? {};
  const keys = Object.keys(value as object);
  const score = (a: Schema) => keys.filter((k) => k in ((a.properties as object) ?? {})).length;
  return [...fits].sort((a, b) => score(b) - score(a))[0]!;
}

/** The schema of the child `key` of a value whose (branch) schema is `parent`, as written. */
export function childSchema(parent: Schema, key: string | number): Schema {
  // Unresolved on purpose: a $ref tells the caller which component (possibly recursive) the child is.
  if (typeof key === 'number') return (parent.items as Schema) ?? {};
  const props = (parent.properties ?? {}) as Record<string, Schema>;
  if (key in props) return props[key]!;
  const extra = parent.additionalProperties;
  return typeof extra === 'object' ? (extra as Schema) : {};
}

/**
 * A fixed-shape object: it declares its properties and no schema for other keys. An unknown key in it is
 * a typo the API must refuse, naming it — not a key to drop silently.
 */
export function isFixedShape(schema: Schema): boolean {
  return (
    schema.type === 'object' &&
    schema.properties !== undefined &&
    (schema.additionalProperties === undefined || schema.additionalProperties === false)
  );
}

/** Names of component schemas that reach themselves (activation rules, targeting rules, JSON values). */
export function recursiveComponents(doc: Schema): Set<string> {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  const refsOf = (node: unknown, out: Set<string>) => {
    if (Array.isArray(node)) node.forEach((n) => refsOf(n, out));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') out.add(v.split('/').pop()!);
        else refsOf(v, out);
      }
    }
    return out;
  };
  const edges = new Map(Object.entries(schemas).map(([name, s]) => [name, refsOf(s, new Set())]));
  const reaches = (from: string, target: string, seen = new Set<string>()): boolean => {
    for (const next of edges.get(from) ?? []) {
      if (next === target) return true;
      if (!seen.has(next)) {
        seen.add(next);
        if (reaches(next, target, seen)) return true;
      }
    }
    return false;
  };
  return new Set([...edges.keys()].filter((name) => reaches(name, name)));
}

/** The component name a (possibly wrapped) schema points at, if any. */
export function refName(schema: Schema): string | undefined {
  const ref = (schema.$ref ?? schema.items?.$ref) as string | undefined;
  return ref?.split('/').pop();
}
