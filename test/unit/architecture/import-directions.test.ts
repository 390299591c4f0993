// Which way the layers import each other (docs/architecture.md, "Layout"): a lower layer never imports
// a higher one, so that a reader finds a thing where its name says it is and a pure module stays
// usable from workflow code and tools. Type-only imports count too: they tie the layers just the same.
import { resolvedFrom, sourceOf, specifiersOf, tsFilesUnder } from '../../support/imports';

/** Each folder and the project folders its files may not import. */
const FORBIDDEN: Record<string, readonly string[]> = {
  // The lowest layer: nothing of the project but itself (npm packages such as zod are fine).
  domain: ['*'],
  funnel: ['api', 'workflows', 'activities', 'worker', 'profiles'],
  profiles: ['api', 'workflows', 'activities', 'worker'],
  evaluation: ['api', 'workflows', 'activities', 'worker'],
  db: ['api', 'workflows', 'activities', 'worker', 'funnel', 'evaluation', 'profiles'],
};

function violationsOf(folder: string, forbidden: readonly string[]): string[] {
  return tsFilesUnder(folder).flatMap((file) =>
    specifiersOf(sourceOf(file))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ specifier, target: resolvedFrom(file, specifier) }))
      .filter(({ target }) => {
        const top = target.split('/')[0]!;
        return forbidden.includes('*') ? top !== folder : forbidden.includes(top);
      })
      .map(({ specifier }) => `${file} imports '${specifier}'`),
  );
}

describe('import directions', () => {
  it.each(Object.entries(FORBIDDEN))('%s/ imports no higher layer', (folder, forbidden) => {
    expect(violationsOf(folder, forbidden)).toEqual([]);
  });

  it('sees a violation when there is one', () => {
    // The walk itself: funnel/ imports domain/, so forbidding domain/ there must be reported.
    expect(violationsOf('funnel', ['domain'])).toEqual(
      expect.arrayContaining([expect.stringMatching(/^funnel\/.+ imports '.+domain\/.+'$/)]),
    );
  });
});
