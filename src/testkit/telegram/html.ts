import { ApiError, type FakeEntity } from './types.js';

export type { FakeEntity };

/** Telegram's HTML tags and the entity each makes (see the Bot API's "HTML style"). */
const TAGS: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', span: 'spoiler', 'tg-spoiler': 'spoiler',
  a: 'text_link', code: 'code', pre: 'pre', blockquote: 'blockquote', 'tg-emoji': 'custom_emoji',
};

/** Entities Telegram names; any other `&…;` stays as it was written. */
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function refuse(why: string): never {
  throw new ApiError(400, `Bad Request: can't parse entities: ${why}`);
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Attributes of a start tag (`name="v"`, `name='v'`, `name=v`, bare `name`). */
function attributes(body: string, tag: string, at: number): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /\s*([^\s=]*)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s"']+))?/gy;
  let rest = body;
  while (rest.trim()) {
    re.lastIndex = 0;
    const m = re.exec(rest);
    if (!m || !m[0]) refuse(`Unclosed start tag at byte offset ${at}`);
    if (!m[1]) refuse(`Empty attribute name in the tag "${tag}" at byte offset ${at}`);
    const raw = m[2] ?? '';
    out[m[1].toLowerCase()] = decode(/^["']/.test(raw) ? raw.slice(1, -1) : raw);
    rest = rest.slice(m[0].length);
  }
  return out;
}

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e.startsWith('#')) {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED[e] ?? m;
  });
}

/**
 * Parses `parse_mode: HTML` as Telegram does: only Telegram's tags, every end tag matching the
 * latest start tag, `<span>` only as a spoiler, `<a>` with its `href`, the four named entities and
 * numeric ones (others are kept as written); anything else is 400 "can't parse entities". Returns
 * the visible text and its entities (none inside `code` / `pre`, which cannot hold others).
 */
export function parseTelegramHtml(html: string): { text: string; entities: FakeEntity[] } {
  let text = '';
  const entities: FakeEntity[] = [];
  const stack: { tag: string; offset: number; entity: Omit<FakeEntity, 'offset' | 'length'> | null }[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '&') {
      const m = /^&(#x[0-9a-f]+|#\d+|[a-z]+);/i.exec(html.slice(i));
      text += m ? decode(m[0]) : '&';
      i += m ? m[0].length : 1;
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i++;
      continue;
    }
    const at = bytes(html.slice(0, i));
    const end = html.indexOf('>', i);
    if (end < 0) refuse(html[i + 1] === '/' ? `Unexpected end tag at byte offset ${at}` : `Unclosed start tag at byte offset ${at}`);
    const body = html.slice(i + 1, end);
    i = end + 1;
    if (body.startsWith('/')) {
      const name = body.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) refuse(`Unexpected end tag at byte offset ${at}`);
      if (name && name !== open.tag) refuse(`Unmatched end tag at byte offset ${at}, expected "</${open.tag}>", found "</${name}>"`);
      const length = text.length - open.offset;
      const parent = stack.at(-1);
      // `<pre><code class="language-x">` is one pre entity with a language.
      if (open.tag === 'code' && parent?.tag === 'pre') {
        if (open.entity?.language && parent.entity) parent.entity.language = open.entity.language;
      } else if (open.entity && length > 0 && !stack.some((s) => s.tag === 'code' || s.tag === 'pre')) {
        entities.push({ ...open.entity, offset: open.offset, length });
      }
      continue;
    }
    const name = /^[a-z][a-z0-9-]*/i.exec(body)?.[0].toLowerCase();
    if (!name || !(name in TAGS)) refuse(`Unsupported start tag "${name ?? body}" at byte offset ${at}`);
    const attrs = attributes(body.slice(name.length), name, at);
    let entity: Omit<FakeEntity, 'offset' | 'length'> | null = { type: TAGS[name]! };
    if (name === 'span' && attrs.class !== 'tg-spoiler') refuse(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
    if (name === 'a') entity = attrs.href ? { type: 'text_link', url: attrs.href } : null;
    if (name === 'code' && attrs.class?.startsWith('language-')) entity = { type: 'code', language: attrs.class.slice('language-'.length) };
    if (name === 'blockquote' && 'expandable' in attrs) entity = { type: 'expandable_blockquote' };
    if (name === 'blockquote' && stack.some((s) => s.tag === 'blockquote')) entity = null;
    stack.push({ tag: name, offset: text.length, entity });
  }
  if (stack.length) refuse(`Can't find end tag corresponding to start tag "${stack.at(-1)!.tag}"`);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset || b.length - a.length) };
}
