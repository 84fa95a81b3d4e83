import { describe, expect, it } from 'vitest';
import { Api } from 'grammy';
import { parseTelegramHtml } from '../../src/testkit/telegram/html.js';
import { FakeTelegram } from '../support/fake-telegram.js';

const refusal = (html: string) => {
  try {
    parseTelegramHtml(html);
  } catch (e) {
    return (e as Error).message;
  }
  return 'parsed';
};

describe('the fake Bot API parses parse_mode HTML as Telegram does', () => {
  it('reports bold, italic, code, pre with a language, links and spoilers as entities in UTF-16 offsets', () => {
    const r = parseTelegramHtml('💳 <b>Card</b> <i>x</i> <code>CH-1</code> <pre><code class="language-ts">a</code></pre> <a href="https://t.me/x">t</a> <span class="tg-spoiler">s</span>');
    expect(r.text).toBe('💳 Card x CH-1 a t s');
    expect(r.entities).toEqual([
      { type: 'bold', offset: 3, length: 4 },
      { type: 'italic', offset: 8, length: 1 },
      { type: 'code', offset: 10, length: 4 },
      { type: 'pre', language: 'ts', offset: 15, length: 1 },
      { type: 'text_link', url: 'https://t.me/x', offset: 17, length: 1 },
      { type: 'spoiler', offset: 19, length: 1 },
    ]);
  });

  it('decodes the named and numeric entities and keeps unknown ones as written', () => {
    expect(parseTelegramHtml('&lt;&gt;&amp;&quot;&#65;&#x42; &ge; & x').text).toBe('<>&"AB &ge; & x');
  });

  it('refuses tags Telegram does not know, wrong nesting, unclosed tags and a span that is not a spoiler', () => {
    expect(refusal('Hi <br> there')).toBe(`Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 3`);
    expect(refusal('user <kahn@inbox.ru>')).toMatch(/Unsupported start tag "kahn" at byte offset 5/);
    expect(refusal('<b><i>x</b></i>')).toBe(`Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`);
    expect(refusal('<b>x')).toBe(`Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`);
    expect(refusal('x</b>')).toMatch(/Unexpected end tag at byte offset 1/);
    expect(refusal('a < b')).toMatch(/Unclosed start tag|Unsupported start tag/);
    expect(refusal('<span>x</span>')).toMatch(/must have class "tg-spoiler"/);
    expect(refusal('<b>ok</b> &amp; fine')).toBe('parsed');
  });

  it('answers 400 "can\'t parse entities" to sendMessage and counts the 4,096 limit after parsing', async () => {
    const fake = await FakeTelegram.start();
    try {
      const api = new Api(fake.token, { apiRoot: fake.apiRoot });
      fake.userSays(42, '/start');
      await expect(api.sendMessage(42, 'Tom <& Jerry>', { parse_mode: 'HTML' })).rejects.toMatchObject({ error_code: 400, description: expect.stringContaining("can't parse entities") });
      const long = `<b>${'x'.repeat(4096)}</b>`;
      await api.sendMessage(42, long, { parse_mode: 'HTML' });
      const shown = await fake.nextBotMessage(42);
      expect(shown.text).toBe('x'.repeat(4096));
      expect(shown.entities).toEqual([{ type: 'bold', offset: 0, length: 4096 }]);
      await expect(api.sendMessage(42, `<b>${'x'.repeat(4097)}</b>`, { parse_mode: 'HTML' })).rejects.toThrow(/message text is too long/);
      await expect(api.sendMessage(42, '<b></b>', { parse_mode: 'HTML' })).rejects.toThrow(/message text is empty/);
    } finally {
      await fake.close();
    }
  });
});
