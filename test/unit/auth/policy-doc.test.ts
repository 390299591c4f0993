// docs/api/auth.md shows the role matrix as a table: this keeps it the policy's (api/auth/policy.ts)
// table, line for line, so the documentation can be trusted.
import fs from 'node:fs';
import path from 'node:path';
import { POLICY } from '../../../api/auth/policy';
import { ROLES } from '../../../api/auth/principal';

const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/api/auth.md'), 'utf8');

/** Rows of the matrix: | METHOD | `path` | ✓ | | ✓ own channels | ✓ | → "METHOD path: role,role". */
function documentedMatrix(): string[] {
  return doc
    .split('\n')
    .filter((line) => /^\| (GET|POST|PATCH|PUT|DELETE) \| `/.test(line))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      const [method, route, ...marks] = cells as [string, string, ...string[]];
      const roles = ROLES.filter((_, i) => (marks[i] ?? '').startsWith('✓'));
      return `${method} ${route.replace(/`/g, '')}: ${roles.join(',')}`;
    });
}

describe('docs/api/auth.md', () => {
  it('shows every guarded policy entry with exactly its roles, in the same order', () => {
    const expected = POLICY.filter((e) => e.allow !== 'public').map(
      (e) =>
        `${e.method} ${e.path}: ${ROLES.filter((r) => e.allow !== 'public' && e.allow.includes(r)).join(',')}`,
    );
    expect(documentedMatrix()).toEqual(expected);
  });

  it('names every public route', () => {
    for (const entry of POLICY.filter((e) => e.allow === 'public')) {
      expect(doc).toContain(`\`${entry.method} ${entry.path}\``);
    }
  });
});
