// Validates an OpenAPI 3.1 document: its structure against the OpenAPI 3.1 JSON Schema that
// @seriousme/openapi-schema-validator ships (the validator itself is an ES module jest cannot load, so
// its schema is used the way the validator uses it: Ajv 2020 with formats), every Schema Object in it as JSON Schema 2020-12 with every $ref
// resolving, and every example against the schema beside it. Shared by the unit test of the builder
// and the integration test of GET /openapi.json.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file of an ESM-only package
const oas31Schema = require('@seriousme/openapi-schema-validator/schemas/v3.1/schema.json') as object;

type Json = Record<string, unknown>;
const DOC_ID = 'https://campaigns.example/openapi.json';

/** JSON pointers of every Schema Object in operations and components, with the example beside it. */
function schemaSites(doc: Json): { pointer: string; example?: unknown }[] {
  const sites: { pointer: string; example?: unknown }[] = [];
  const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  const media = (base: string, content: unknown) => {
    for (const [type, m] of Object.entries((content ?? {}) as Record<string, Json>)) {
      if (m.schema) sites.push({ pointer: `${base}/content/${esc(type)}/schema`, example: m.example });
    }
  };
  for (const name of Object.keys(((doc.components as Json)?.schemas ?? {}) as Json)) {
    sites.push({ pointer: `/components/schemas/${esc(name)}` });
  }
  for (const [name, r] of Object.entries(
    ((doc.components as Json)?.responses ?? {}) as Record<string, Json>,
  )) {
    media(`/components/responses/${esc(name)}`, r.content);
  }
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(item)) {
      const base = `/paths/${esc(path)}/${method}`;
      ((op.parameters ?? []) as Json[]).forEach((p, i) => {
        if (p.schema) sites.push({ pointer: `${base}/parameters/${i}/schema`, example: p.example });
      });
      if (op.requestBody) media(`${base}/requestBody`, (op.requestBody as Json).content);
      for (const [status, r] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        media(`${base}/responses/${status}`, r.content);
      }
    }
  }
  return sites;
}

export function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  const structural = new Ajv2020({ strict: false, allErrors: true });
  addFormats(structural);
  structural.addFormat('media-range', true);
  const validateDoc = structural.compile(oas31Schema);
  if (!validateDoc(doc)) {
    for (const e of validateDoc.errors ?? []) problems.push(`document ${e.instancePath}: ${e.message}`);
  }

  // The document itself as a schema resource, so that '#/components/schemas/…' references resolve.
  const schemas = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(schemas);
  schemas.addSchema({ ...doc, $id: DOC_ID });
  for (const site of schemaSites(doc)) {
    try {
      const validate = schemas.getSchema(`${DOC_ID}#${site.pointer}`);
      if (!validate) {
        problems.push(`${site.pointer}: not found`);
        continue;
      }
      if (!schemas.validateSchema(validate.schema as object)) {
        problems.push(`${site.pointer}: not JSON Schema 2020-12: ${schemas.errorsText(schemas.errors)}`);
      }
      if (site.example !== undefined && !validate(site.example)) {
        problems.push(`${site.pointer}: example does not match: ${schemas.errorsText(validate.errors)}`);
      }
    } catch (err) {
      problems.push(`${site.pointer}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}
