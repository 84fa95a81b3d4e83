import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockText, buttonLabels } from '../../../src/testkit/slack/blocks.js';
import { TestChat } from '../../support/app.js';
import { SETUPS } from '../../support/db.js';
import { expectBlocksWithinLimits, startSupportDesk, type SupportDesk } from './support-harness.js';

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
});
