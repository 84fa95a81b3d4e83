import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FluentBundle, FluentResource } from '@fluent/bundle';
import type { Lang, Msg } from '../../flows/shared/protocol.js';
import { escapeHtml, htmlToText } from '../lib/html.js';
import { fromRoot } from '../lib/paths.js';

/** The catalogues stay in the sources' folder (the build does not copy them; the image ships them). */
const DIR = fromRoot('src', 'i18n');

/** Message catalogues (Fluent), one folder per language, one file per flow or area. */
export class Catalogue {
  private readonly bundles = new Map<Lang, FluentBundle>();

  constructor(readonly langs: readonly Lang[] = ['en', 'ja']) {
    for (const lang of langs) {
      const bundle = new FluentBundle(lang, { useIsolating: false });
      const dir = join(DIR, lang);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ftl')).sort()) {
        const errors = bundle.addResource(new FluentResource(readFileSync(join(dir, file), 'utf8')));
        if (errors.length) throw new Error(`i18n ${lang}/${file}: ${errors[0]!.message}`);
      }
      this.bundles.set(lang, bundle);
    }
  }

  /** Every message id of a language (tests check both catalogues match). */
  ids(lang: Lang): string[] {
    const bundle = this.bundles.get(lang)!;
    // FluentBundle keeps messages in a Map named _messages.
    return [...(bundle as unknown as { _messages: Map<string, unknown> })._messages.keys()];
  }

  has(lang: Lang, key: string): boolean {
    return this.bundles.get(lang)?.hasMessage(key) ?? false;
  }

  /**
   * Renders a message as Telegram HTML: the catalogue's own markup (bold headings and amounts,
   * monospace references) is kept and every value is escaped, except values whose name ends in
   * `Html` (text this catalogue rendered already, e.g. history lines). Falls back to English, then
   * to the key itself so nothing crashes.
   */
  html(lang: Lang, m: Msg): string {
    // Escaped as Fluent reads each value, so the caller's object (even a proxy) is used as it is.
    const vars = new Proxy(m.vars ?? {}, {
      get: (t, k) => {
        const v: unknown = Reflect.get(t, k);
        return typeof k === 'string' && typeof v === 'string' && !k.endsWith('Html') ? escapeHtml(v) : v;
      },
    });
    for (const l of [lang, 'en' as Lang]) {
      const bundle = this.bundles.get(l);
      const message = bundle?.getMessage(m.key);
      if (bundle && message?.value) return bundle.formatPattern(message.value, vars);
    }
    return escapeHtml(m.key);
  }

  /** Renders a message as the plain text a reader sees (the markup of {@link html} removed). */
  render(lang: Lang, m: Msg): string {
    return htmlToText(this.html(lang, m));
  }
}
