// The door every request passes before any route, zod schema or recursive code sees it: a JSON body
// nested deeper than MAX_JSON_DEPTH, or any text (body strings and keys, query values, path segments)
// that PostgreSQL or UTF-8 cannot store (a NUL, an unpaired surrogate: domain/text.ts), is a 400 that
// names the field. The walk is iterative, so that no input can overflow the stack here either.
// Schemas still apply the same text rule (domain/text.ts `text()`), which also documents it in OpenAPI.
import type { RequestHandler } from 'express';
import { textDefect } from '../domain/text';
import { validationProblem, type FieldError } from './problem';

/**
 * The deepest nesting a JSON body may have (docs/api/conventions.md). The deepest legitimate input
 * (an activation rule of 5 levels inside a plan inside a request, targeting rules) needs well under 20.
 */
export const MAX_JSON_DEPTH = 32;

/** The first defect found in a parsed JSON value, with the field path it was found at. */
export function jsonDefect(value: unknown, root = ''): FieldError | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const defect = textDefect(v);
      if (defect) return { field: path || '(body)', message: defect };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      return { field: path || '(body)', message: `is nested deeper than ${MAX_JSON_DEPTH} levels` };
    }
    const entries: [string, unknown][] = Array.isArray(v)
      ? v.map((item, i) => [String(i), item])
      : Object.entries(v as Record<string, unknown>);
    for (const [key, child] of entries) {
      const childPath = path ? `${path}.${key}` : key;
      const keyDefect = textDefect(key);
      if (keyDefect) return { field: childPath, message: `(the key) ${keyDefect}` };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

function pathDefect(path: string): FieldError | null {
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return {
        field: 'path',
        message: `segment "${segment.slice(0, 50)}" is not valid percent-encoded UTF-8`,
      };
    }
    const defect = textDefect(decoded);
    if (defect) return { field: 'path', message: defect };
  }
  return null;
}

export const inputGuard: RequestHandler = (req, _res, next) => {
  const defect =
    pathDefect(req.path) ??
    jsonDefect(req.query, 'query') ??
    (req.body === undefined ? null : jsonDefect(req.body));
  next(defect ? validationProblem([defect]) : undefined);
};
