/**
 * The small subset of HTML the catalogues write for chat formatting (Telegram's `parse_mode: HTML`):
 * escaping of text that is not ours, the visible text of a marked-up message (what Telegram shows,
 * what the console and Slack print), splitting long messages only between lines with every part's
 * tags balanced, and the same emphasis as ANSI for terminals.
 */

/** Escapes text for Telegram HTML (the four characters Telegram asks to be escaped). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A piece of marked-up text: decoded text, or an opening / closing tag as written. */
export type HtmlToken = { kind: 'text'; text: string } | { kind: 'open'; tag: string; raw: string } | { kind: 'close'; tag: string; raw: string };

const TAG_RE = /<(\/?)([a-z][a-z0-9-]*)((?:\s[^<>]*)?)>/gi;

/** Decodes the entities Telegram knows (&lt; &gt; &amp; &quot; and numeric ones). */
export function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, (_m, e: string) => {
    const k = e.toLowerCase();
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'amp') return '&';
    if (k === 'quot') return '"';
    return String.fromCodePoint(k.startsWith('#x') ? parseInt(k.slice(2), 16) : Number(k.slice(1)));
  });
}

/** Splits marked-up text into tokens (text decoded). */
export function tokenize(html: string): HtmlToken[] {
  const out: HtmlToken[] = [];
  let at = 0;
  for (const m of html.matchAll(TAG_RE)) {
    if (m.index > at) out.push({ kind: 'text', text: decodeEntities(html.slice(at, m.index)) });
    const tag = m[2]!.toLowerCase();
    out.push(m[1] ? { kind: 'close', tag, raw: `</${tag}>` } : { kind: 'open', tag, raw: m[0] });
    at = m.index + m[0].length;
  }
  if (at < html.length) out.push({ kind: 'text', text: decodeEntities(html.slice(at)) });
  return out;
}

/** The text a reader sees: tags removed, entities decoded. */
export function htmlToText(html: string): string {
  return tokenize(html)
    .map((t) => (t.kind === 'text' ? t.text : ''))
    .join('');
}

/** A line of tokens (no newline inside) with its visible length. */
interface Line {
  tokens: HtmlToken[];
  length: number;
}

function linesOf(tokens: HtmlToken[]): Line[] {
  const lines: Line[] = [{ tokens: [], length: 0 }];
  for (const t of tokens) {
    if (t.kind !== 'text') {
      lines.at(-1)!.tokens.push(t);
      continue;
    }
    t.text.split('\n').forEach((piece, i) => {
      if (i > 0) lines.push({ tokens: [], length: 0 });
      if (!piece) return;
      const line = lines.at(-1)!;
      line.tokens.push({ kind: 'text', text: piece });
      line.length += piece.length;
    });
  }
  return lines;
}

/** A line longer than `max` cut into pieces of at most `max` visible characters (tags kept in place). */
function cutLine(line: Line, max: number): Line[] {
  const pieces: Line[] = [{ tokens: [], length: 0 }];
  for (const t of line.tokens) {
    if (t.kind !== 'text') {
      pieces.at(-1)!.tokens.push(t);
      continue;
    }
    let rest = t.text;
    while (rest) {
      let cur = pieces.at(-1)!;
      if (cur.length >= max) pieces.push((cur = { tokens: [], length: 0 }));
      const take = rest.slice(0, max - cur.length);
      cur.tokens.push({ kind: 'text', text: take });
      cur.length += take.length;
      rest = rest.slice(take.length);
    }
  }
  return pieces;
}

/**
 * Splits marked-up text into parts of at most `max` visible characters (Telegram counts after
 * parsing entities), breaking only between lines (a single longer line is cut hard). Tags open at
 * a break are closed at the end of the part and opened again at the start of the next, so every
 * part parses on its own.
 */
export function splitHtml(html: string, max: number): string[] {
  const lines = linesOf(tokenize(html)).flatMap((l) =>
    l.length > max ? cutLine(l, max).map((p, i, all) => ({ ...p, glue: i < all.length - 1 ? '' : '\n' })) : [{ ...l, glue: '\n' }],
  );
  const parts: string[] = [];
  let stack: { tag: string; raw: string }[] = [];
  let opened: { tag: string; raw: string }[] = [];
  let body = '';
  let length = 0;
  let started = false;
  let glue = '';
  const close = () => [...stack].reverse().map((t) => `</${t.tag}>`).join('');
  for (const line of lines) {
    if (started && length + glue.length + line.length > max) {
      parts.push(opened.map((t) => t.raw).join('') + body + close());
      opened = [...stack];
      body = '';
      length = 0;
    } else if (started) {
      body += glue;
      length += glue.length;
    }
    started = true;
    for (const t of line.tokens) {
      if (t.kind === 'text') body += escapeHtml(t.text);
      else if (t.kind === 'open') {
        body += t.raw;
        stack.push({ tag: t.tag, raw: t.raw });
      } else {
        body += t.raw;
        const i = stack.map((s) => s.tag).lastIndexOf(t.tag);
        if (i >= 0) stack = stack.slice(0, i);
      }
    }
    length += line.length;
    glue = line.glue;
  }
  parts.push(opened.map((t) => t.raw).join('') + body + close());
  return parts;
}

const ANSI: Record<string, string> = { b: '1', strong: '1', i: '3', em: '3', u: '4', ins: '4', s: '9', strike: '9', del: '9', code: '36', pre: '36', blockquote: '2' };

/** The same emphasis as the HTML, as ANSI escape codes (bold, italic, underline, cyan monospace). */
export function htmlToAnsi(html: string): string {
  const stack: string[] = [];
  let out = '';
  let styled = false;
  const apply = () => {
    const codes = stack.map((t) => ANSI[t]).filter((c): c is string => !!c);
    out += styled ? '\x1b[0m' : '';
    styled = codes.length > 0;
    if (styled) out += `\x1b[${codes.join(';')}m`;
  };
  for (const t of tokenize(html)) {
    if (t.kind === 'text') out += t.text;
    else if (t.kind === 'open') {
      stack.push(t.tag);
      apply();
    } else {
      const i = stack.lastIndexOf(t.tag);
      if (i >= 0) stack.splice(i, 1);
      apply();
    }
  }
  if (styled) out += '\x1b[0m';
  return out;
}
