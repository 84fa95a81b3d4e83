import { afterEach, describe, expect, it } from 'vitest';
import { Api } from 'grammy';
import { render } from '../../../src/channels/telegram/render.js';
import { escapeHtml } from '../../../src/lib/html.js';
import { FakeTelegram } from '../../support/fake-telegram.js';

/** The Telegram channel's sending of formatted replies, against the fake Bot API that parses HTML as Telegram does. */
describe('Telegram formatting', () => {
  let fake: FakeTelegram;
  afterEach(async () => {
    await fake?.close();
  });

  it('sends the HTML with parse_mode HTML: headings bold, references monospace, values escaped', async () => {
    fake = await FakeTelegram.start();
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    fake.userSays(7, '/start');
    const merchant = `<Tom & Jerry's>`;
    await render(api, '7', [{ kind: 'text', text: `Charge received. Reference: CH-1 at ${merchant}`, html: `<b>Charge received.</b> Reference: <code>CH-1</code> at ${escapeHtml(merchant)}` }]);
    const m = await fake.nextBotMessage(7);
    expect(m.text).toBe(`Charge received. Reference: CH-1 at ${merchant}`);
    expect(m.entities).toEqual([{ type: 'bold', offset: 0, length: 16 }, { type: 'code', offset: 28, length: 4 }]);
    expect(fake.calls('sendMessage').at(-1)!.params.parse_mode).toBe('HTML');
  });

  it('splits a long history between lines into messages Telegram accepts, the buttons on the last', async () => {
    fake = await FakeTelegram.start();
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    fake.userSays(8, '/start');
    const lines = Array.from({ length: 300 }, (_, i) => `12/${String((i % 28) + 1).padStart(2, '0')} 10:00 JST · Purchase Shop ${i} &amp; Co · -1,200 JPY`);
    const html = `<b>Deposits and withdrawals</b>\n<pre>${lines.join('\n')}</pre>\n<b>Totals:</b> <b>360,000 JPY</b>`;
    await render(api, '8', [{ kind: 'text', text: 'unused plain form', html, buttons: [[{ label: 'Done', data: 'a.0' }]] }]);
    const sent = fake.messages(8).filter((m) => m.from === 'bot');
    expect(sent.length).toBeGreaterThan(1);
    for (const m of sent) expect(m.text!.length).toBeLessThanOrEqual(4096);
    expect(sent.map((m) => m.text).join('\n')).toBe(`Deposits and withdrawals\n${lines.join('\n').replace(/&amp;/g, '&')}\nTotals: 360,000 JPY`);
    expect(sent.slice(1).every((m) => /^(12\/|Totals)/.test(m.text!))).toBe(true);
    expect(sent.at(-1)!.keyboard?.flat().map((b) => b.text)).toEqual(['Done']);
    expect(sent.slice(0, -1).every((m) => !m.keyboard)).toBe(true);
    expect(sent.every((m) => m.entities?.some((e) => e.type === 'pre' || e.type === 'bold'))).toBe(true);
  });
});
