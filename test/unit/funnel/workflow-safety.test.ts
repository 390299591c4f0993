// Guards the funnel and domain modules that Temporal workflow code imports: they run in Temporal's deterministic
// sandbox, so they (and every project file they import) must not use Node built-ins or read the clock.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT, specifiersOf } from '../../support/imports';

const WORKFLOW_IMPORTED = [
  'funnel/schedule.ts',
  'domain/cohort.ts',
  'domain/campaign-plan.ts',
  'domain/engagement-plan.ts',
  'domain/zoned-time.ts',
  'domain/duration.ts',
];

interface Module {
  readonly source: string;
  /** Every module specifier in an import/export statement or a require() call. */
  readonly specifiers: string[];
}

/** The entry files plus every project file they import, transitively. */
function importClosure(entries: string[]): Map<string, Module> {
  const modules = new Map<string, Module>();
  const pending = entries.map((entry) => join(ROOT, entry));
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (modules.has(file)) continue;
    const source = readFileSync(file, 'utf8');
    const specifiers = specifiersOf(source);
    modules.set(file, { source, specifiers });
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), `${specifier}.ts`));
    }
  }
  return modules;
}

describe('modules imported by workflow code', () => {
  const modules = importClosure(WORKFLOW_IMPORTED);
  const relative = (file: string) => file.slice(ROOT.length + 1);

  it('finds the whole import graph', () => {
    expect([...modules.keys()].map(relative)).toEqual(
      expect.arrayContaining([
        'domain/money.ts',
        'domain/activation-rule-tree.ts',
        'domain/sending-hours.ts',
      ]),
    );
  });

  it('import nothing but project files and zod (no Node built-ins)', () => {
    const foreign = [...modules].flatMap(([file, { specifiers }]) =>
      specifiers.filter((s) => !s.startsWith('.') && s !== 'zod').map((s) => `${relative(file)}: ${s}`),
    );
    expect(foreign).toEqual([]);
  });

  it.each([
    ['the clock', /Date\.now\(|new Date\(\)|performance\.now\(/],
    ['randomness', /Math\.random\(|crypto\./],
  ])('do not use %s', (_label, pattern) => {
    const offenders = [...modules]
      .filter(([, { source }]) => pattern.test(source))
      .map(([file]) => relative(file));
    expect(offenders).toEqual([]);
  });
});
