import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelPorts } from '../../../src/app/ports.js';
import { TelegramChannel } from '../../../src/channels/telegram/telegram.js';
import { blockText } from '../../../src/testkit/slack/blocks.js';
import { FakeTelegram } from '../../support/fake-telegram.js';
import { SETUPS } from '../../support/db.js';
import { newChatId } from '../telegram/harness.js';
import { KIM, SAM, expectBlocksWithinLimits, startSupportDesk, type SupportDesk } from './support-harness.js';

describe.each(SETUPS)('hand-off between Telegram (fake Bot API) and Slack ($db + $store)', (kinds) => {
  let tg: FakeTelegram;
  let desk: SupportDesk;
  let channel: TelegramChannel;
  beforeEach(async () => {
    tg = await FakeTelegram.start();
    desk = await startSupportDesk(kinds, tg.env());
    channel = await TelegramChannel.start(channelPorts(desk.app), undefined, { pollTimeoutSeconds: 1 });
  });
  afterEach(async () => {
    expectBlocksWithinLimits(desk.fake);
    await channel.stop();
    await desk.close();
    await tg.close();
  });

  it('relays both ways through grammY and Bolt; a reply the cardholder can no longer receive (bot blocked) is marked in the thread, not alerted', async () => {
    const chat = newChatId();
    tg.userSays(chat, '/support');
    await tg.waitForBot(chat, (m) => (m.text ?? '').includes('tell me in one line'));
    tg.userSays(chat, 'My card was declined at a shop');
    const opened = await tg.waitForBot(chat, (m) => (m.text ?? '').includes('Your ticket'));
    const ticket = /SUP-\d{5}/.exec(opened.text!)![0];
    expect(opened.keyboard?.flat().map((b) => b.text)).toEqual(['End conversation']);
    await desk.settle();
    const root = desk.posts()[0]!;
    expect(blockText(root)).toContain(ticket);
    expect(blockText(root)).toContain('*Chat*\ntelegram');

    tg.userSays(chat, 'It was yesterday');
    await tg.waitForBot(chat, `Sent to support (${ticket}).`);
    await desk.settle();
    expect(desk.posts().filter((p) => p.threadTs === root.ts).map((p) => blockText(p))).toEqual([expect.stringContaining('It was yesterday')]);

    await desk.reply(root.ts, 'Thanks, checking now', { user: SAM });
    await desk.settle();
    await tg.waitForBot(chat, `Sam Support (OMNIPAY support, ${ticket}):\nThanks, checking now`);

    // Markup and Fluent syntax in a reply are the agent's text, shown as typed: no HTML parsing, no
    // placeholders. (Slack sends what a person typed with &, < and > escaped.)
    await desk.reply(root.ts, '&lt;b&gt;Bold?&lt;/b&gt; { $ticket } *stars* _under_', { user: SAM });
    await desk.settle();
    const plain = await tg.waitForBot(chat, (m) => (m.text ?? '').includes('Bold?'));
    expect(plain.text).toBe(`Sam Support (OMNIPAY support, ${ticket}):\n<b>Bold?</b> { $ticket } *stars* _under_`);
    // Replies go out as Telegram HTML, the agent's text escaped by the renderer, so it is never parsed as markup.
    const sent = tg.calls('sendMessage').filter((c) => String(c.params.text).includes('Bold?'));
    expect(sent.map((c) => c.params.parse_mode)).toEqual(['HTML']);
    expect(String(sent[0]!.params.text)).toContain('&lt;b&gt;Bold?&lt;/b&gt; { $ticket } *stars* _under_');

    tg.fail('sendMessage', { code: 403, description: 'Forbidden: bot was blocked by the user' });
    await desk.reply(root.ts, 'Found it: a refund is on its way', { user: KIM });
    await desk.settle();
    await desk.settle();
    const notice = await desk.app.db.prisma.chatNotice.findFirstOrThrow({ where: { key: 'support-agent-reply', vars: { path: ['text'], equals: 'Found it: a refund is on its way' } } });
    expect(notice.status).toBe('undeliverable');
    const marks = desk.posts().filter((p) => p.threadTs === root.ts && blockText(p).includes('did not reach the cardholder'));
    expect(marks.map((p) => blockText(p))).toEqual([`:warning: The reply above did not reach the cardholder of ${ticket} (403 Forbidden: bot was blocked by the user). They may have blocked the bot or left the chat; the ticket stays open.`]);
    expect(await desk.app.db.prisma.alert.count({ where: { kind: 'notice-undeliverable' } })).toBe(0);
  });
});
