import type { Catalogue } from '../i18n/i18n.js';
import type { Lang } from '../../flows/shared/protocol.js';
import type { TextExpectation } from './format.js';
import type { BotMessage } from './drivers/driver.js';

/** The first way a message differs from what the script expects. */
export interface Mismatch {
  message: string;
  expected: string;
  actual: string;
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;

/** Does `text` look like it is written in `lang`? (Japanese has kana or kanji; English has none.) */
export function looksLike(text: string, lang: string): boolean {
  if (lang === 'ja') return JAPANESE.test(text);
  if (lang === 'en') return !JAPANESE.test(text) && /[A-Za-z]/.test(text);
  return true;
}

/**
 * A regex that matches a catalogue message whatever its unspecified variables are: the message is
 * rendered with known `vars`, and each placeholder left becomes a wildcard.
 */
export function catalogueRegex(catalogue: Catalogue, lang: Lang, key: string, vars: Record<string, string> = {}): RegExp | null {
  if (!catalogue.has(lang, key) && !catalogue.has('en', key)) return null;
  // A variable the script does not give renders as a marker, which becomes a wildcard. Fluent checks
  // variables with hasOwnProperty, so the proxy answers for every name.
  const MARK = '\u0000VAR\u0000';
  const proxy = new Proxy({ ...vars } as Record<string, string>, {
    get: (t, k) => (typeof k === 'string' && k in t ? t[k] : MARK),
    has: () => true,
    getOwnPropertyDescriptor: (t, k) => Object.getOwnPropertyDescriptor(t, k) ?? { value: MARK, writable: true, enumerable: true, configurable: true },
  });
  const rendered = catalogue.render(lang, { key, vars: proxy }).trim();
  const escaped = rendered.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').split(MARK).join('[\\s\\S]*?');
  return new RegExp(`^${escaped}$`);
}

/** Compares a bot message with an expectation; null when it matches. */
export function matchText(m: BotMessage, e: TextExpectation, ctx: { catalogue: Catalogue; lang: Lang }): Mismatch | null {
  const text = m.text.trim();
  const show = JSON.stringify(text);
  if (e.exact !== undefined && text !== e.exact.trim()) return { message: 'the reply is not exactly as expected', expected: JSON.stringify(e.exact.trim()), actual: show };
  for (const c of toList(e.contains)) {
    if (!text.includes(c)) return { message: `the reply does not contain ${JSON.stringify(c)}`, expected: `contains ${JSON.stringify(c)}`, actual: show };
  }
  for (const c of toList(e.not)) {
    if (text.includes(c)) return { message: `the reply contains ${JSON.stringify(c)}`, expected: `does not contain ${JSON.stringify(c)}`, actual: show };
  }
  if (e.regex !== undefined && !new RegExp(e.regex, 'm').test(text)) return { message: 'the reply does not match the pattern', expected: `/${e.regex}/`, actual: show };
  if (e.key !== undefined) {
    const lang = (e.lang ?? ctx.lang) as Lang;
    const re = catalogueRegex(ctx.catalogue, lang, e.key, e.vars);
    if (!re) return { message: `no catalogue message "${e.key}"`, expected: `message ${e.key}`, actual: show };
    if (!re.test(text)) return { message: `the reply is not the ${lang} message "${e.key}"`, expected: `/${re.source}/ (message ${e.key} in ${lang})`, actual: show };
  } else if (e.lang !== undefined && !looksLike(text, e.lang)) {
    return { message: `the reply is not in ${e.lang}`, expected: `a reply in ${e.lang}`, actual: show };
  }
  const labels = m.buttons.flat();
  for (const b of e.buttons ?? []) {
    if (!labels.includes(b)) return { message: `no button "${b}" on the reply`, expected: `buttons include ${JSON.stringify(b)}`, actual: `buttons ${JSON.stringify(labels)}` };
  }
  if (e.noButtons && labels.length) return { message: 'the reply has buttons', expected: 'no buttons', actual: `buttons ${JSON.stringify(labels)}` };
  return null;
}

/** Applies `capture` patterns to text: each pattern's first group (or the whole match) becomes a variable. */
export function captureFrom(texts: string[], capture: Record<string, string> | undefined): { values: Record<string, string>; missing?: { name: string; pattern: string } } {
  const values: Record<string, string> = {};
  for (const [name, pattern] of Object.entries(capture ?? {})) {
    const re = new RegExp(pattern, 'm');
    let found: string | undefined;
    for (const t of texts) {
      const m = re.exec(t);
      if (m) {
        found = m[1] ?? m[0];
        break;
      }
    }
    if (found === undefined) return { values, missing: { name, pattern } };
    values[name] = found;
  }
  return { values };
}

function toList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
