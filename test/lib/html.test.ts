import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlToAnsi, htmlToText, splitHtml } from '../../src/lib/html.js';
import { parseTelegramHtml } from '../../src/testkit/telegram/html.js';

describe('chat HTML', () => {
  it('escapes the four characters Telegram asks for and reads them back as the same text', () => {
    const raw = `Tom & Jerry <b>"x"</b>`;
    expect(escapeHtml(raw)).toBe('Tom &amp; Jerry &lt;b&gt;&quot;x&quot;&lt;/b&gt;');
    expect(htmlToText(`<b>${escapeHtml(raw)}</b>`)).toBe(raw);
  });

  it('shows the visible text without tags and with entities decoded', () => {
    expect(htmlToText('<b>Total:</b> <code>CH-1</code> &#39;a&#39; &lt;3')).toBe("Total: CH-1 'a' <3");
  });

  it('keeps a message that fits in one part unchanged', () => {
    const html = '<b>Heading</b>\nline &amp; more';
    expect(splitHtml(html, 4096)).toEqual([html]);
  });

  it('splits only between lines, each part within the limit after parsing and parsing on its own', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `${String(i).padStart(3, '0')} Purchase &amp; co · <b>-1,200 JPY</b>`);
    const html = `<b>History</b>\n<pre>${lines.join('\n')}</pre>\n<b>Totals</b>`;
    const parts = splitHtml(html, 4096);
    expect(parts.length).toBeGreaterThan(1);
    const texts = parts.map((p) => parseTelegramHtml(p).text);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4096);
    expect(texts.join('\n')).toBe(htmlToText(html));
    // every break is at a line end: no part starts or ends inside a line
    for (const t of texts.slice(1)) expect(t).toMatch(/^(\d{3} |<b>|Totals)/);
  });

  it('closes a block open at a break and opens it again in the next part', () => {
    const html = `<pre>${'a'.repeat(6)}\n${'b'.repeat(6)}</pre>`;
    expect(splitHtml(html, 8)).toEqual(['<pre>aaaaaa</pre>', '<pre>bbbbbb</pre>']);
  });

  it('cuts a single line longer than the limit without cutting a tag or an entity', () => {
    const html = `<b>${'&amp;'.repeat(10)}</b>`;
    const parts = splitHtml(html, 4);
    expect(parts).toEqual(['<b>&amp;&amp;&amp;&amp;</b>', '<b>&amp;&amp;&amp;&amp;</b>', '<b>&amp;&amp;</b>']);
  });

  it('turns bold and monospace into ANSI bold and cyan, restoring the outer style after a nested one', () => {
    expect(htmlToAnsi('a <b>bold <code>x</code> on</b> end')).toBe('a \x1b[1mbold \x1b[0m\x1b[1;36mx\x1b[0m\x1b[1m on\x1b[0m end');
    expect(htmlToAnsi('no tags &amp; all')).toBe('no tags & all');
  });
});
