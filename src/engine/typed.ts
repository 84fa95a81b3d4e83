/**
 * Typing where buttons are expected: a typed line that names one of the screen's buttons — its
 * label (`confirm`, `[Next ▶]`, `ｊｐｙ`), or "yes" / "no" for the screen's one confirming or
 * cancelling button — is taken as that press. Anything else stays text for the flow to read.
 */
import { LANGS } from '../../flows/shared/protocol.js';
import type { Catalogue } from '../i18n/i18n.js';

/** A screen's buttons as typing can name them: normalized labels and the catalogue keys of their labels. */
export interface TypedLabels {
  labels?: string[];
  keys?: string[];
}

const wordsCache = new WeakMap<Catalogue, { yes: string[]; no: string[] }>();

/** The words that mean "yes" and "no" on a screen, from every catalogue (people mix languages). */
export function typedWords(catalogue: Catalogue): { yes: string[]; no: string[] } {
  let w = wordsCache.get(catalogue);
  if (!w) {
    const list = (key: string) => LANGS.flatMap((l) => catalogue.render(l, { key }).split(','));
    w = { yes: list('typed-yes'), no: list('typed-no') };
    wordsCache.set(catalogue, w);
  }
  return w;
}

/** Buttons that say "yes" on their screen (confirm, submit, OK, view). */
const YES_KEYS = new Set(['btn-ok', 'charge-btn-confirm', 'signup-btn-submit', 'history-btn-view']);
/** Buttons that say "no". */
const NO_KEYS = new Set(['btn-cancel']);

/** A label or typed line reduced to what a person means by it: width-folded, lower case, letters and digits only. */
export function normalizeLabel(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The index of the button a typed line names, or null. `yes` / `no` are the words (any of the
 * catalogues') that mean pressing the screen's yes or no button; a word naming several buttons names none.
 */
export function typedButton(screen: TypedLabels | null | undefined, text: string, words: { yes: string[]; no: string[] }): number | null {
  const labels = screen?.labels;
  const keys = screen?.keys ?? [];
  if (!labels?.length) return null;
  const typed = normalizeLabel(text);
  if (typed === '') return null;
  const only = (hits: number[]) => (hits.length === 1 ? hits[0]! : null);
  const byLabel = only(labels.flatMap((l, i) => (l === typed ? [i] : [])));
  if (byLabel !== null) return byLabel;
  const wordsOf = (list: string[]) => list.map(normalizeLabel);
  if (wordsOf(words.yes).includes(typed)) return only(keys.flatMap((k, i) => (YES_KEYS.has(k) ? [i] : [])));
  if (wordsOf(words.no).includes(typed)) return only(keys.flatMap((k, i) => (NO_KEYS.has(k) ? [i] : [])));
  return null;
}

/** The press a typed line stands for on `screen` (a stored screen: values with labels and keys), or null. */
export function typedPress(screen: (TypedLabels & { values: string[] }) | null | undefined, text: string, catalogue: Catalogue, at: number): { type: 'button'; value: string; at: number } | null {
  const i = typedButton(screen, text, typedWords(catalogue));
  return i === null || screen!.values[i] === undefined ? null : { type: 'button', value: screen!.values[i]!, at };
}
