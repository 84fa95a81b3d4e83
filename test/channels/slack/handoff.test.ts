import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../src/domain/cards/luhn.js';
import { raiseAlert } from '../../../src/services/alerts.js';
import { applyFixture } from '../../../src/testkit/fixtures.js';
import { blockText, buttonLabels, findButton } from '../../../src/testkit/slack/blocks.js';
import { TestChat } from '../../support/app.js';
import { SETUPS } from '../../support/db.js';
import { CHANNEL, KIM, SAM, expectBlocksWithinLimits, startSupportDesk, type SupportDesk } from './support-harness.js';

/** Opens a ticket from a chat; returns its number. */
async function openTicket(chat: TestChat, summary = 'My card was declined at a shop'): Promise<string> {
  await chat.send('/support');
  await chat.send(summary);
  const m = /SUP-\d{5}/.exec(chat.texts.join('\n'));
  if (!m) throw new Error(`no ticket opened: ${chat.texts.join(' / ')}`);
  return m[0];
}

describe.each(SETUPS)('hand-off through the real Slack app ($db + $store)', (kinds) => {
  let desk: SupportDesk;
  beforeEach(async () => {
    desk = await startSupportDesk(kinds);
  });
  afterEach(async () => {
    expectBlocksWithinLimits(desk.fake);
    await desk.close();
  });

  it('a guest opens a ticket; its thread root shows the summary and buttons; messages go both ways', async () => {
    const chat = new TestChat(desk.app);
    await chat.send('/support');
    expect(chat.texts.join('\n')).toContain('tell me in one line');
    await chat.send('My card was declined at a shop');
    expect(chat.texts.join('\n')).toMatch(/Your ticket SUP-\d{5} is open/);
    const ticket = /SUP-\d{5}/.exec(chat.texts.join('\n'))![0];
    await desk.settle();
    const [root] = desk.posts();
    expect(blockText(root!)).toContain(ticket);
    expect(blockText(root!)).toContain('My card was declined at a shop');
    expect(blockText(root!)).toContain('Guest (not logged in)');
    expect(buttonLabels(root!)).toEqual(['Close']);

    await chat.send('It was at a supermarket');
    expect(chat.texts).toEqual([`Sent to support (${ticket}).`]);
    await desk.settle();
    const inThread = desk.posts().filter((p) => p.threadTs === root!.ts);
    expect(inThread.map((p) => blockText(p))).toEqual([expect.stringContaining('It was at a supermarket')]);

    expect(await desk.reply(root!.ts, 'Hello, I can help')).toBe(200);
    await desk.settle();
    expect(chat.delivered.at(-1)).toBe(`Sam Support (OMNIPAY support, ${ticket}):\nHello, I can help`);
  });

  it("a member's thread root shows username, each card's last 4, state and balance, movements and alerts, and no secret anywhere in Slack", async () => {
    const chat = new TestChat(desk.app);
    const vars = await applyFixture(desk.app, { member: { username: 'kenji', email: 'kenji@example.com', password: 'Correct-Horse-Battery-42' }, card: { currency: 'JPY', balance: '12500' } }, { channel: 'test', chatId: chat.chatId });
    const pan = `999901${'123456789'}`;
    const fullPan = pan + luhnCheckDigit(pan);
    const second = await desk.app.services.cards.issue({ email: 'kenji@example.com', currency: 'USD' }, { pan: fullPan, pin: '4827' });
    const check = await desk.app.services.cards.checkInitialPin(vars.memberId!, second.pinMailer.last4, '4827');
    if (!check.ok) throw new Error(check.reason);
    await desk.app.services.cards.enroll(vars.memberId!, check.cardId, check.proof);
    await desk.app.db.prisma.card.update({ where: { id: check.cardId }, data: { pinLocked: true, frozenBy: 'cardholder' } });
    await desk.app.db.tx((tx) => raiseAlert(tx, { kind: 'pin-lock', memberId: vars.memberId!, cardId: vars.cardId!, details: { last4: vars.last4!, failures: 3 } }));
    const ticket = await openTicket(chat, 'Is my card frozen?');
    await desk.settle();
    const root = desk.posts().find((p) => blockText(p).includes(ticket))!;
    const text = blockText(root);
    expect(text).toContain('*Cardholder*\nkenji');
    expect(text).toContain(`•••• ${vars.last4} · JPY · active · 12,500 JPY`);
    expect(text).toContain(`•••• ${second.pinMailer.last4} · USD · active, frozen by cardholder, PIN locked · 0.00 USD`);
    expect(text).toMatch(new RegExp(`\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d Asia/Tokyo · •••• ${vars.last4} · charge · \\+12,500 JPY`));
    expect(text).toContain('pin-lock');
    expect(text).toContain('*Was in*\nmenu');
    expect(buttonLabels(root)).toEqual(['Look up', 'Close']);
    const everything = JSON.stringify(desk.fake.calls);
    for (const secret of [fullPan, '4827', vars.pin!, 'Correct-Horse-Battery-42']) expect(everything).not.toContain(secret);
  });

  it('[Close] pressed twice (a double click) closes once: the chat is told once and is back at the menu, the thread once, the root loses its buttons', async () => {
    const chat = new TestChat(desk.app);
    const ticket = await openTicket(chat);
    await desk.settle();
    const root = desk.posts()[0]!;
    const close = findButton(root, 'Close');
    const press = () => desk.signed.blockAction({ actionId: close.actionId!, value: close.value!, userId: SAM, channelId: CHANNEL, message: { ts: root.ts, blocks: root.blocks } });
    const [a, b] = await Promise.all([press(), press()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await desk.slack.idle();
    await desk.settle();
    expect(chat.delivered.filter((t) => t.includes('Support closed the conversation'))).toEqual([`Support closed the conversation ${ticket}. Thank you for contacting us; I am here again for everything else.`]);
    expect(chat.delivered.at(-1)).toBe('What would you like to do?');
    const closedPosts = desk.posts().filter((p) => p.threadTs === root.ts && blockText(p).includes('closed by'));
    expect(closedPosts).toHaveLength(1);
    expect(blockText(closedPosts[0]!)).toContain(`closed by <@${SAM}>`);
    const rootNow = desk.fake.messages(CHANNEL).find((m) => m.ts === root.ts)!;
    expect(buttonLabels(rootNow)).toEqual([]);
    expect(blockText(rootNow)).toContain(`${ticket} — closed`);
    await desk.fake.waitForResponse((r) => String(r.body.text).includes('is already closed'));
    // The bot has the chat again.
    await chat.send('hello');
    expect(chat.texts[0]).toContain('did not understand');
  });

  it('/end in the chat closes the ticket: the thread says the cardholder closed it and a later agent reply is refused, ephemerally', async () => {
    const chat = new TestChat(desk.app);
    const ticket = await openTicket(chat);
    await desk.settle();
    const root = desk.posts()[0]!;
    await chat.send('/end');
    expect(chat.texts).toEqual([`You ended the conversation ${ticket}. Thank you for contacting us; I am here again for everything else.`, 'What would you like to do?']);
    await desk.settle();
    expect(desk.posts().some((p) => p.threadTs === root.ts && blockText(p).includes('closed by the cardholder'))).toBe(true);
    await desk.reply(root.ts, 'Still there?', { user: KIM });
    await desk.settle();
    expect(desk.fake.state.ephemerals.map((e) => `${e.user}: ${e.text}`)).toEqual([`${KIM}: ${ticket} is closed, so your reply was not sent. The cardholder can open a new conversation with /support.`]);
    expect(chat.delivered.some((t) => t.includes('Still there?'))).toBe(false);
  });

  it("a cardholder's text cannot mention, link or format in Slack: plain_text blocks, and an escaped fallback text", async () => {
    const chat = new TestChat(desk.app);
    await openTicket(chat, '<!channel> please *help*');
    await chat.send('<!here> see <https://evil.example|this> & more');
    await desk.settle();
    const calls = desk.fake.callsTo('chat.postMessage');
    const [root, relay] = calls.map((c) => c.args as { text: string; blocks: { type: string; text?: { type: string; text: string } }[] });
    expect(root!.text).toBe('SUP-00001: &lt;!channel&gt; please *help*');
    expect(root!.blocks[1]).toEqual({ type: 'section', text: { type: 'plain_text', text: '<!channel> please *help*', emoji: false } });
    expect(relay!.text).toBe('Cardholder: &lt;!here&gt; see &lt;https://evil.example|this&gt; &amp; more');
    expect(relay!.blocks.slice(1)).toEqual([{ type: 'section', text: { type: 'plain_text', text: '<!here> see <https://evil.example|this> & more', emoji: false } }]);
  });

  it("an agent's mrkdwn reaches the chat as plain text: links with their address, mentions by name, entities decoded", async () => {
    const chat = new TestChat(desk.app);
    const ticket = await openTicket(chat);
    await desk.settle();
    await desk.reply(desk.posts()[0]!.ts, 'See <https://omnipay.example/guide|the guide>, ask <@U0KIM> &amp; reply &lt;here&gt; <!here>');
    await desk.settle();
    expect(chat.delivered.at(-1)).toBe(`Sam Support (OMNIPAY support, ${ticket}):\nSee the guide (https://omnipay.example/guide), ask @Kim Support & reply <here>`);
  });
});
