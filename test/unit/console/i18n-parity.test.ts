// The console's two languages stay in step: every bundle of labels (console/js/i18n.js BUNDLES) has the
// same keys in Simplified Chinese and English, with the same {placeholders}, none empty, no key defined
// in two bundles; and every literal t('key') in the console's code has a label. The console's modules
// are browser ES modules: a child Node process imports them and prints the bundles as JSON.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Dictionary = Record<string, string>;
type Bundles = Record<string, { zh: Dictionary; en: Dictionary }>;

const CONSOLE_JS = path.resolve(__dirname, '../../../console/js');

function loadBundles(): Bundles {
  const url = pathToFileURL(path.join(CONSOLE_JS, 'i18n.js')).href;
  const script = `const { BUNDLES } = await import(${JSON.stringify(url)}); process.stdout.write(JSON.stringify(BUNDLES));`;
  return JSON.parse(
    execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    }),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.js') ? [full] : [];
  });
}

const bundles = loadBundles();

describe('the console dictionaries (zh-CN and en)', () => {
  it('has bundles to check', () => {
    expect(Object.keys(bundles)).toEqual(expect.arrayContaining(['campaigns', 'common', 'registry']));
  });

  it.each(Object.keys(bundles))('bundle %s has the same keys in both languages', (name) => {
    const { zh, en } = bundles[name]!;
    const onlyZh = Object.keys(zh).filter((k) => !(k in en));
    const onlyEn = Object.keys(en).filter((k) => !(k in zh));
    expect({ onlyZh, onlyEn }).toEqual({ onlyZh: [], onlyEn: [] });
  });

  it.each(Object.keys(bundles))('bundle %s has the same placeholders and no empty label', (name) => {
    const { zh, en } = bundles[name]!;
    const mismatched = Object.keys(zh)
      .filter((k) => k in en)
      .filter((k) => placeholders(zh[k]!).join() !== placeholders(en[k]!).join());
    const empty = [...Object.entries(zh), ...Object.entries(en)]
      .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
      .map(([k]) => k);
    expect({ mismatched, empty }).toEqual({ mismatched: [], empty: [] });
  });

  it('defines each key in one bundle only', () => {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const [name, { zh }] of Object.entries(bundles)) {
      for (const key of Object.keys(zh)) {
        if (owner.has(key)) twice.push(`${key} (${owner.get(key)} and ${name})`);
        owner.set(key, name);
      }
    }
    expect(twice).toEqual([]);
  });

  it("has a label for every literal t('key') in the console's code", () => {
    const known = new Set(Object.values(bundles).flatMap((b) => Object.keys(b.zh)));
    const missing: string[] = [];
    for (const file of sourceFiles(CONSOLE_JS)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([^'$]+)'/g)) {
        if (!known.has(m[1]!)) missing.push(`${path.relative(CONSOLE_JS, file)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
