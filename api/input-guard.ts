// The door every request passes before any route, zod schema or recursive code sees it: a JSON body
// nested deeper than MAX_JSON_DEPTH, or any text (body strings and keys, query values, path segments)
// that PostgreSQL or UTF-8 cannot store (a NUL, an unpaired surrogate: domain/text.ts), is a 400 that
// names the field. The walk is iterative, so that no input can overflow the stack here either.
// Schemas still apply the same text rule (domain/text.ts `text()`), which also documents it in OpenAPI.
import type { RequestHandler } from 'express';
import { textDefect } from '../domain/text';
import { POLICY } from './auth/policy';
import { validationProblem, type FieldError } from './problem';

/**
 * The deepest nesting a JSON body may have (docs/api/conventions.md). The deepest legitimate input
 * (an activation rule of 5 levels inside a plan inside a request, targeting rules) needs well under 20.
 */
export const MAX_JSON_DEPTH = 32;

/** A node of the walk; its field path is built from the parent chain only when a defect is found. */
interface Node {
  value: unknown;
  key: string | null;
  parent: Node | null;
  depth: number;
}

function pathOf(node: Node, root: string): string {
  const keys: string[] = [];
  for (let n: Node | null = node; n && n.key !== null; n = n.parent) keys.push(n.key);
  if (root) keys.push(root);
  return keys.reverse().join('.');
}

/**
 * The first defect found in a parsed JSON value, with the field path it was found at. Every request body
 * passes here (ingest batches of 1,000 items included), so no path string is built for a sound field.
 */
export function jsonDefect(value: unknown, root = ''): FieldError | null {
  const stack: Node[] = [{ value, key: null, parent: null, depth: 0 }];
  const fieldAt = (node: Node) => pathOf(node, root) || '(body)';
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === 'string') {
      const defect = textDefect(v);
      if (defect) return { field: fieldAt(node), message: defect };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (node.depth >= MAX_JSON_DEPTH) {
      return { field: fieldAt(node), message: `is nested deeper than ${MAX_JSON_DEPTH} levels` };
    }
    const depth = node.depth + 1;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i], key: String(i), parent: node, depth });
      continue;
    }
    for (const key of Object.keys(v)) {
      const child: Node = { value: (v as Record<string, unknown>)[key], key, parent: node, depth };
      const keyDefect = textDefect(key);
      if (keyDefect) return { field: fieldAt(child), message: `(the key) ${keyDefect}` };
      stack.push(child);
    }
  }
  return null;
}

/**
 * The route pattern's segments for a path whose parameters may not even decode: the access policy's
 * entry of the same method and length whose literal segments match (literals beat parameters), so that a
 * bad segment is named as the parameter it is (`params.id`), like every other invalid field.
 */
function patternSegments(method: string, segments: string[]): string[] | null {
  const asked = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  let best: string[] | null = null;
  let bestParams = Infinity;
  for (const entry of POLICY) {
    if (entry.method !== asked || entry.prefix) continue;
    const pattern = entry.path.split('/');
    if (pattern.length !== segments.length) continue;
    const fits = pattern.every((p, i) => p.startsWith(':') || p.toLowerCase() === segments[i]!.toLowerCase());
    const params = pattern.filter((p) => p.startsWith(':')).length;
    if (fits && params < bestParams) [best, bestParams] = [pattern, params];
  }
  return best;
}

function pathDefect(method: string, path: string): FieldError | null {
  const segments = path.split('/');
  const fieldOf = (i: number) => {
    const name = patternSegments(method, segments)?.[i];
    return name?.startsWith(':') ? `params.${name.slice(1)}` : 'path';
  };
  for (const [i, segment] of segments.entries()) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return {
        field: fieldOf(i),
        message: `segment "${segment.slice(0, 50)}" is not valid percent-encoded UTF-8`,
      };
    }
    const defect = textDefect(decoded);
    if (defect) return { field: fieldOf(i), message: defect };
  }
  return null;
}

export const inputGuard: RequestHandler = (req, _res, next) => {
  const defect =
    pathDefect(req.method, req.path) ??
    jsonDefect(req.query, 'query') ??
    (req.body === undefined ? null : jsonDefect(req.body));
  next(defect ? validationProblem([defect]) : undefined);
};
