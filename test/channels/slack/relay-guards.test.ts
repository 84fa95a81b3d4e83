import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { armFailpoints } from '../../../src/lib/failpoints.js';
import { findButton } from '../../../src/testkit/slack/blocks.js';
import { messageEvent } from '../../../src/testkit/slack/payloads.js';
import { TestChat } from '../../support/app.js';
import { SETUPS } from '../../support/db.js';
import { CHANNEL, EVE, SAM, expectBlocksWithinLimits, startSupportDesk, type SupportDesk } from './support-harness.js';

describe.each(SETUPS)('what reaches the chat from a ticket thread ($db + $store)', (kinds) => {
  let desk: SupportDesk;
  let chat: TestChat;
  let rootTs: string;
  beforeEach(async () => {
    desk = await startSupportDesk(kinds);
    chat = new TestChat(desk.app);
    await chat.send('/support');
    await chat.send('My card was declined');
    await desk.settle();
    rootTs = desk.posts()[0]!.ts;
  });
  afterEach(async () => {
    expectBlocksWithinLimits(desk.fake);
    await desk.close();
  });

  const replies = () => chat.delivered.filter((t) => t.includes('(OMNIPAY support'));

  it('an event redelivered 49 times at once (same event_id, X-Slack-Retry-Num 1–3) and the same message under another event_id reach the chat once', async () => {
    const event = messageEvent({ text: 'We are on it', threadTs: rootTs, user: SAM, channel: CHANNEL });
    await desk.signed.event(event, { eventId: 'Ev0ONCE' });
    const statuses = await Promise.all(Array.from({ length: 49 }, (_, i) => desk.signed.event(event, { eventId: 'Ev0ONCE' }, { retry: { num: 1 + (i % 3), reason: 'http_timeout' } }).then((r) => r.status)));
    expect(statuses).toEqual(Array(49).fill(200));
    await desk.signed.event(event, { eventId: 'Ev0ONCE-OTHER-ROUTE' });
    await desk.slack.idle();
    await desk.settle();
    expect(replies()).toEqual([expect.stringContaining('We are on it')]);
    expect(await desk.app.db.prisma.chatNotice.count({ where: { key: 'support-agent-reply' } })).toBe(1);
    // The redelivery stopped at its event_id (claimed in the store); the other route at the message's own key.
    expect(desk.app.logs.lines.filter((l) => l.includes('slack: event seen before; skipped') && l.includes('Ev0ONCE'))).toHaveLength(49);
  });

  it('a relay that fails is answered 500, not 200, so Slack delivers it again; the redelivery reaches the chat once', async () => {
    const event = messageEvent({ text: 'Refund is on its way', threadTs: rootTs, user: SAM, channel: CHANNEL });
    armFailpoints('slack.relay.before:throw:1');
    try {
      expect((await desk.signed.event(event, { eventId: 'Ev0FAILS' })).status).toBe(500);
    } finally {
      armFailpoints(undefined);
    }
    await desk.settle();
    expect(replies()).toEqual([]);
    expect((await desk.signed.event(event, { eventId: 'Ev0FAILS' }, { retry: { num: 1, reason: 'http_error' } })).status).toBe(200);
    await desk.slack.idle();
    await desk.settle();
    expect(replies()).toEqual([expect.stringContaining('Refund is on its way')]);
  });

  it('a redelivery while the first delivery is still relaying is answered 500 (Slack tries later); once relayed, the next redelivery is 200 and skipped: one reply', async () => {
    const event = messageEvent({ text: 'Checking your card now', threadTs: rootTs, user: SAM, channel: CHANNEL });
    // The agent's name look-up is rate limited for 2 s: the first delivery is still at work.
    desk.fake.fail('users.info', 'ratelimited', { retryAfter: 2 });
    const asked = desk.fake.callsTo('users.info').length;
    const first = desk.signed.event(event, { eventId: 'Ev0SLOW' });
    await desk.fake.waitFor(() => (desk.fake.callsTo('users.info').length > asked ? true : undefined));
    expect((await desk.signed.event(event, { eventId: 'Ev0SLOW' }, { retry: { num: 1, reason: 'http_timeout' } })).status).toBe(500);
    expect((await first).status).toBe(200);
    expect((await desk.signed.event(event, { eventId: 'Ev0SLOW' }, { retry: { num: 2, reason: 'http_timeout' } })).status).toBe(200);
    await desk.slack.idle();
    await desk.settle();
    expect(replies()).toEqual([expect.stringContaining('Checking your card now')]);
    expect(desk.app.logs.lines.filter((l) => l.includes('redelivery of an event still being handled'))).toHaveLength(1);
  });

  it("bot posts in the thread (ours, another app's) and message subtypes (edits, deletions, joins) are never relayed", async () => {
    await desk.reply(rootTs, 'our own post', { user: SAM });
    await desk.settle();
    const before = replies().length;
    for (const e of [
      messageEvent({ text: 'from us', botId: 'B0FAKEBOT', threadTs: rootTs, channel: CHANNEL }),
      messageEvent({ text: 'from another app', botId: 'B0OTHER', threadTs: rootTs, channel: CHANNEL }),
      messageEvent({ text: 'edited text', subtype: 'message_changed', threadTs: rootTs, user: SAM, channel: CHANNEL }),
      messageEvent({ text: '', subtype: 'message_deleted', threadTs: rootTs, user: SAM, channel: CHANNEL }),
      messageEvent({ text: 'joined', subtype: 'channel_join', threadTs: rootTs, user: SAM, channel: CHANNEL }),
      // Not in a thread, or in a thread that is no ticket's.
      messageEvent({ text: 'channel chatter', user: SAM, channel: CHANNEL }),
      messageEvent({ text: 'elsewhere', threadTs: '1700000000.999999', user: SAM, channel: CHANNEL }),
    ]) {
      await desk.signed.event(e);
    }
    await desk.slack.idle();
    await desk.settle();
    expect(replies()).toHaveLength(before);
    expect(before).toBe(1);
  });

  it("a stranger's thread reply is not relayed: they are told ephemerally and the attempt is audited", async () => {
    await desk.reply(rootTs, 'I am not support', { user: EVE });
    await desk.settle();
    expect(replies()).toEqual([]);
    expect(desk.fake.state.ephemerals.map((e) => ({ user: e.user, threadTs: e.threadTs, text: e.text }))).toEqual([{ user: EVE, threadTs: rootTs, text: 'You are not on the OMNIPAY support team, so your reply was not sent to the cardholder. Your attempt was recorded.' }]);
    const audit = await desk.app.db.prisma.auditLog.findMany({ where: { action: 'support.refused' } });
    expect(audit.map((a) => ({ actor: a.actor, details: a.details }))).toEqual([{ actor: `slack:${EVE}`, details: { attempted: 'thread-reply' } }]);
  });

  it('a stranger pressing [Close] or [Look up] is refused ephemerally, sees no member data, is audited, and the ticket stays open', async () => {
    const root = desk.posts()[0]!;
    const close = findButton(root, 'Close');
    const res = await desk.signed.blockAction({ actionId: close.actionId!, value: close.value!, userId: EVE, channelId: CHANNEL, message: { ts: root.ts, blocks: root.blocks } });
    expect(res.status).toBe(200);
    await desk.slack.idle();
    const refusal = await desk.fake.waitForResponse();
    expect(refusal.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: 'Only the OMNIPAY support team can do this. Your attempt was recorded.' });
    await desk.signed.blockAction({ actionId: 'support.lookup', value: close.value!, userId: EVE, channelId: CHANNEL, message: { ts: root.ts, blocks: root.blocks } });
    await desk.slack.idle();
    await desk.fake.waitFor(() => (desk.fake.responses.length >= 2 ? true : undefined));
    expect(desk.fake.responses.map((r) => r.body.text)).toEqual([refusal.body.text, refusal.body.text]);
    expect((await desk.app.db.prisma.supportThread.findFirstOrThrow()).status).toBe('open');
    expect((await desk.app.db.prisma.auditLog.findMany({ where: { action: 'support.refused' }, orderBy: { createdAt: 'asc' } })).map((a) => a.details)).toEqual([{ attempted: 'close' }, { attempted: 'lookup' }]);
    await chat.send('still there?');
    expect(chat.texts[0]).toContain('Sent to support');
  });
});
