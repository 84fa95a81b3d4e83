import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalogue } from '../../src/i18n/i18n.js';

const DIR = new URL('../../src/i18n/', import.meta.url).pathname;

describe('message catalogues', () => {
  const c = new Catalogue();

  it('have the same message ids in English and Japanese', () => {
    const en = c.ids('en').sort();
    const ja = c.ids('ja').sort();
    expect(en.filter((k) => !ja.includes(k)), 'missing in ja').toEqual([]);
    expect(ja.filter((k) => !en.includes(k)), 'missing in en').toEqual([]);
  });

  it('lose no entry to a syntax error (Fluent drops malformed entries silently)', () => {
    for (const lang of ['en', 'ja'] as const) {
      const declared = readdirSync(join(DIR, lang))
        .filter((f) => f.endsWith('.ftl'))
        .flatMap((f) => [...readFileSync(join(DIR, lang, f), 'utf8').matchAll(/^([a-z][\w-]*)\s*=/gm)].map((m) => m[1]!));
      const loaded = new Set(c.ids(lang));
      expect(declared.filter((k) => !loaded.has(k)), lang).toEqual([]);
    }
  });
});
