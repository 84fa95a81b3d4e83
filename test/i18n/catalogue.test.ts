import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalogue } from '../../src/i18n/i18n.js';
import { parseTelegramHtml } from '../../src/testkit/telegram/html.js';

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

  it('escape every value in the HTML form and show it unchanged in the text form', () => {
    const username = 'a<b>&"c';
    const html = c.html('en', { key: 'menu-member', vars: { username } });
    expect(html).toContain('a&lt;b&gt;&amp;&quot;c');
    expect(c.render('en', { key: 'menu-member', vars: { username } })).toBe(`Dashboard — logged in as ${username}. What would you like to do?`);
  });

  it('keep values named …Html as the markup they are (text this catalogue rendered)', () => {
    const line = c.html('en', { key: 'balance-line', vars: { balance: '<1 USD>' } });
    expect(line).toBe('• <b>&lt;1 USD&gt;</b>');
    expect(c.html('en', { key: 'balance-list', vars: { linesHtml: line } })).toContain('• <b>&lt;1 USD&gt;</b>');
  });

  it('render every message in both languages as HTML Telegram accepts, whatever the values hold', () => {
    const names = new Set<string>();
    for (const lang of ['en', 'ja'] as const)
      for (const f of readdirSync(join(DIR, lang)).filter((x) => x.endsWith('.ftl')))
        for (const m of readFileSync(join(DIR, lang, f), 'utf8').matchAll(/\$([a-zA-Z][\w-]*)/g)) names.add(m[1]!);
    const vars = Object.fromEntries([...names].map((n) => [n, n.endsWith('Html') ? '<b>x</b> &amp; y' : '</b><x & "y">']));
    const refused: string[] = [];
    for (const lang of ['en', 'ja'] as const)
      for (const key of c.ids(lang)) {
        try {
          parseTelegramHtml(c.html(lang, { key, vars }));
        } catch (e) {
          refused.push(`${lang}/${key}: ${(e as Error).message}`);
        }
      }
    expect(refused).toEqual([]);
  });
});
