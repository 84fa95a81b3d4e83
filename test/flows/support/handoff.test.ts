import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchNotices } from '../../../src/app/notices.js';
import { queueNotice } from '../../../src/services/notices.js';
import { SETUPS } from '../../support/db.js';
import { TestChat, testApp, type TestApp } from '../../support/app.js';
import { createMember, loggedInChat } from '../../support/members.js';
import { enrolledCard } from '../../support/enrolled-card.js';

describe.each(SETUPS)('the hand-off flow in the root ($db + $store)', (kinds) => {
  let app: TestApp;
  beforeAll(async () => {
    // Slack configured (its runner is not started here): tickets only open where a desk reads them.
    app = await testApp(kinds, { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test-signing-secret', SLACK_SUPPORT_CHANNEL: 'C0SUPPORT' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('Help from the dashboard offers Talk to support and Menu; /help inside a flow offers no buttons, so the flow keeps its own', async () => {
    const chat = new TestChat(app);
    await chat.send('/menu');
    await chat.press('Help');
    expect(chat.buttons).toEqual(['Talk to support', 'Menu']);
    await chat.press('Talk to support');
    expect(chat.texts[0]).toContain('tell me in one line');
    await chat.send('/help');
    expect(chat.buttons).toEqual([]);
    await chat.send('/cancel');
    await chat.send('/help');
    await chat.press('Menu');
    expect(chat.texts.at(-1)).toBe('What would you like to do?');
  });

  it('/support from inside the charge flow records where the chat was (flow and step) in the ticket', async () => {
    const m = await createMember(app);
    await enrolledCard(app, m.id, m.email);
    const chat = await loggedInChat(app, m);
    await chat.send('/charge');
    await chat.send('/support');
    await chat.send('The charge screen confuses me');
    const post = await app.db.prisma.slackPost.findFirstOrThrow({ where: { kind: 'ticket' }, orderBy: { seq: 'desc' } });
    expect((post.data as { from: string }).from).toMatch(/^charge › \S/);
    expect((post.data as { member: { username: string } }).member.username).toBe(m.username);
    await chat.send('/end');
  });

  it('a notice with the support-closed signal ends a running hand-off (text, then the menu); in any other flow it is only shown', async () => {
    const chat = new TestChat(app);
    await chat.send('/support');
    await chat.send('Please close this from Slack');
    const t = await app.db.prisma.supportThread.findFirstOrThrow({ where: { chatKey: `test:${chat.chatId}`, status: 'open' } });
    await app.services.support.tickets.closeBySlack(t.id, 'U0SAM');
    await dispatchNotices(app);
    expect(chat.delivered.slice(-2)).toEqual([expect.stringMatching(/^Support closed the conversation SUP-\d{5}\./), 'What would you like to do?']);
    await chat.send('anything');
    expect(chat.texts[0]).toContain('did not understand');

    await chat.send('/forgotusername');
    await app.db.tx((tx) => queueNotice(tx, { chatKey: `test:${chat.chatId}`, key: 'support-closed-by-agent', vars: { ticket: 'SUP-00099' }, signal: 'support-closed' }));
    await dispatchNotices(app);
    expect(chat.delivered.at(-1)).toContain('SUP-00099');
    await chat.send('not-an-address');
    expect(chat.texts.join(' ')).not.toContain('What would you like to do?');
  });

  it('without a Slack desk configured, Talk to support says it is not available and opens nothing', async () => {
    const bare = await testApp(kinds);
    try {
      const chat = new TestChat(bare);
      await chat.send('/support');
      expect(chat.texts).toEqual(['Sorry, talking to a person is not available here right now: this assistant has no support desk connected. Send /help to see what I can do myself.', 'What would you like to do?']);
      expect(await bare.db.prisma.supportThread.count()).toBe(0);
    } finally {
      await bare.close();
    }
  });

  it('/end with no open ticket says so; a summary over one line is refused with an example, keeping the question', async () => {
    const chat = new TestChat(app);
    await chat.send('/end');
    expect(chat.texts).toEqual(['You have no open conversation with support. To start one, send /support.', 'What would you like to do?']);
    await chat.send('/support');
    await chat.send('x'.repeat(201));
    expect(chat.texts).toEqual(['Please keep it to one line of at most 200 characters, for example: My card was declined at a shop. You can tell support everything else once the conversation has started.']);
    expect(chat.buttons).toEqual(['Cancel']);
    await chat.send('Now short');
    expect(chat.texts[0]).toMatch(/^Your ticket SUP-\d{5} is open/);
    await chat.send('/language ja');
    await chat.send('こんにちは');
    expect(chat.texts[0]).toMatch(/^サポートに送りました（SUP-\d{5}）。$/);
    await chat.send('/end');
  });
});
