// Reading a TypeScript file's imports without compiling it: the module specifiers of its import/export
// statements and require() calls, and where its relative ones resolve. Used by the tests that guard
// what workflow code may import (test/unit/funnel/workflow-safety.test.ts) and which way the layers
// import each other (test/unit/architecture/import-directions.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

/** Every module specifier in an import/export statement (type-only ones too) or a require() call. */
export function specifiersOf(source: string): string[] {
  const statements = /^\s*(?:(?:import|export)\b[^;'"]*\bfrom\s+|import\s+)'([^']+)'/gm;
  const requires = /\brequire\(\s*'([^']+)'\s*\)/g;
  return [...source.matchAll(statements), ...source.matchAll(requires)].map((match) => match[1] as string);
}

/** The repository-relative path (without extension) a relative specifier of `file` names. */
export function resolvedFrom(file: string, specifier: string): string {
  return relative(ROOT, resolve(dirname(join(ROOT, file)), specifier));
}

/** The repository-relative paths of every .ts file under `folder`. */
export function tsFilesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(folder, name))
    .sort();
}

export function sourceOf(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}
