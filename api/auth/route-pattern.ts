// Matching a request path against the policy's Express route patterns ('/campaigns/:id/pause'), done
// before routing so that a request is authorised before any handler (or body parser) runs. Only the
// plain pattern syntax the routers use is supported — literal segments and `:name` parameters — and a
// policy test checks that every route of the app resolves to its own entry, so this matcher and
// Express cannot disagree unnoticed.
const SEGMENT = /^(?::[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9._~-]+)$/;

export interface CompiledPattern {
  pattern: string;
  segments: string[];
  /** A mount point (static files): matches the path itself and everything below it. */
  prefix: boolean;
}

export function compilePattern(pattern: string, prefix = false): CompiledPattern {
  const segments = splitPath(pattern);
  if (!pattern.startsWith('/') || !segments.every((s) => SEGMENT.test(s))) {
    throw new Error(`route pattern "${pattern}" uses syntax the access policy does not understand`);
  }
  return { pattern, segments, prefix };
}

/** The route parameters when `path` matches, else null. Literals compare case-insensitively, as Express does. */
export function matchPattern(compiled: CompiledPattern, path: string): Record<string, string> | null {
  const parts = splitPath(path);
  const { segments } = compiled;
  if (compiled.prefix ? parts.length < segments.length : parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = parts[i] as string;
    if (segment.startsWith(':')) {
      const value = safeDecode(part);
      if (value === null) return null;
      params[segment.slice(1)] = value;
    } else if (segment.toLowerCase() !== part.toLowerCase()) return null;
  }
  return params;
}

/**
 * Orders two patterns that both match a path: a literal segment beats a parameter at the first place
 * they differ, so '/campaigns/summary' would win over '/campaigns/:id'; an exact pattern beats a prefix.
 */
export function moreSpecific(a: CompiledPattern, b: CompiledPattern): number {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const aParam = (a.segments[i] as string).startsWith(':');
    const bParam = (b.segments[i] as string).startsWith(':');
    if (aParam !== bParam) return aParam ? 1 : -1;
  }
  if (a.prefix !== b.prefix) return a.prefix ? 1 : -1;
  return b.segments.length - a.segments.length;
}

function splitPath(path: string): string[] {
  // Express ignores one trailing slash (non-strict routing); empty segments never match a parameter.
  return path.replace(/\/+$/, '').split('/').slice(1);
}

function safeDecode(part: string): string | null {
  if (part === '') return null;
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
