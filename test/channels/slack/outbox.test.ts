import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addHealthRoutes } from '../../../src/app/health.js';
import { SlackPoster } from '../../../src/channels/slack/poster.js';
import { webApi } from '@slack/bolt';
import { raiseAlert } from '../../../src/services/alerts.js';
import { createSupportServices } from '../../../src/services/support/index.js';
import { applyFixture } from '../../../src/testkit/fixtures.js';
import { blockText, findButton } from '../../../src/testkit/slack/blocks.js';
import { TestChat } from '../../support/app.js';
import { SETUPS } from '../../support/db.js';
import { CHANNEL, expectBlocksWithinLimits, startSupportDesk, type SupportDesk } from './support-harness.js';

describe.each(SETUPS)('the Slack outbox and its poster ($db + $store)', (kinds) => {
  let desk: SupportDesk;
  beforeEach(async () => {
    desk = await startSupportDesk(kinds);
  });
  afterEach(async () => {
    expectBlocksWithinLimits(desk.fake);
    await desk.close();
  });

  const staleRate = () => desk.app.db.tx((tx) => raiseAlert(tx, { kind: 'stale-rate', details: { pair: 'USD/JPY', maxAgeHours: 24 } }));
  const postCalls = () => desk.fake.callsTo('chat.postMessage');

  it('ratelimited with Retry-After: the pass stops, the post waits that long without using an attempt, then goes once', async () => {
    await staleRate();
    desk.fake.fail('chat.postMessage', 'ratelimited', { retryAfter: 3 });
    const t0 = desk.app.clock.now().getTime();
    expect(await desk.slack.pass()).toEqual({ posted: 0, retrying: 0, failed: 0, rateLimited: 3 });
    const t1 = desk.app.clock.now().getTime();
    const row = await desk.app.db.prisma.slackPost.findFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 0, lastError: 'ratelimited' });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(t0 + 3000);
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(t1 + 3000);
    expect(await desk.slack.pass()).toEqual({ posted: 0, retrying: 0, failed: 0 });
    expect(postCalls()).toHaveLength(1);
    desk.app.clock.advance(3000);
    expect((await desk.slack.pass()).posted).toBe(1);
    expect(postCalls().map((c) => c.status)).toEqual([429, 200]);
    expect(desk.fake.messages(CHANNEL).map((m) => blockText(m))).toEqual([expect.stringContaining('FX rate stale')]);
    expect(await desk.app.db.prisma.slackPost.findFirstOrThrow()).toMatchObject({ status: 'posted', ts: desk.fake.messages(CHANNEL)[0]!.ts, channel: CHANNEL });
  });

  it('channel_not_found gives the post up at once: an error line, the row failed with the reason, and /healthz says so (still 200)', async () => {
    await staleRate();
    desk.fake.fail('chat.postMessage', 'channel_not_found');
    expect(await desk.slack.pass()).toMatchObject({ posted: 0, failed: 1 });
    expect(await desk.app.db.prisma.slackPost.findFirstOrThrow()).toMatchObject({ status: 'failed', lastError: 'channel_not_found' });
    const line = desk.app.logs.lines.map((l) => JSON.parse(l) as { level: number; msg: string; err?: string }).find((l) => l.msg.includes('post refused'));
    expect(line).toMatchObject({ level: 50, err: 'channel_not_found', msg: 'slack: post refused (channel_not_found); given up — check SLACK_SUPPORT_CHANNEL and that the app is in the channel' });
    desk.app.clock.advance(3600_000);
    await desk.slack.pass();
    expect(postCalls()).toHaveLength(1);
    addHealthRoutes(desk.http, desk.app);
    const health = await fetch(desk.url.replace('/slack/events', '/healthz'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, slack: { ok: false, failedPosts: 1, lastError: 'channel_not_found' } });
  });

  it('not_in_channel for a ticket root: the ticket closes, the cardholder is told and the bot has the chat again', async () => {
    desk.fake.addChannel({ id: CHANNEL, name: 'support', isMember: false });
    const chat = new TestChat(desk.app);
    await chat.send('/support');
    await chat.send('My card was declined');
    const ticket = /SUP-\d{5}/.exec(chat.texts.join(' '))![0];
    await chat.send('Hello?');
    await desk.settle();
    expect(postCalls().map((c) => c.error)).toEqual(['not_in_channel']);
    expect(await desk.app.db.prisma.supportThread.findFirstOrThrow()).toMatchObject({ status: 'closed', closedBy: 'system' });
    expect((await desk.app.db.prisma.slackPost.findMany({ orderBy: { seq: 'asc' } })).map((p) => [p.kind, p.status])).toEqual([['ticket', 'failed'], ['relay', 'failed']]);
    expect(chat.delivered.slice(-2)).toEqual([`Sorry, I could not reach our support team for ${ticket}, so it was closed. Please try again later with /support.`, 'What would you like to do?']);
    await chat.send('hello');
    expect(chat.texts[0]).toContain('did not understand');
  });

  it('a transient error is retried with backoff, and the thread keeps its order while an earlier post waits', async () => {
    const chat = new TestChat(desk.app);
    await chat.send('/support');
    await chat.send('Order matters');
    await desk.settle();
    await chat.send('first');
    await chat.send('second');
    desk.fake.fail('chat.postMessage', 'internal_error');
    const t0 = desk.app.clock.now().getTime();
    expect(await desk.slack.pass()).toMatchObject({ posted: 0, retrying: 1 });
    const t1 = desk.app.clock.now().getTime();
    expect(postCalls()).toHaveLength(2);
    const waiting = await desk.app.db.prisma.slackPost.findFirstOrThrow({ where: { kind: 'relay', status: 'pending' }, orderBy: { seq: 'asc' } });
    expect(waiting).toMatchObject({ attempts: 1, lastError: 'internal_error' });
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(t0 + 2000);
    expect(waiting.nextAttemptAt.getTime()).toBeLessThanOrEqual(t1 + 2000);
    expect(await desk.app.db.prisma.slackPost.count({ where: { kind: 'relay', status: 'pending', attempts: 0 } })).toBe(1);
    desk.app.clock.advance(2000);
    expect((await desk.slack.pass()).posted).toBe(2);
    const root = desk.fake.messages(CHANNEL)[0]!;
    expect(desk.fake.messages(CHANNEL, { threadTs: root.ts }).map((m) => blockText(m).split('\n').at(-1))).toEqual(['first', 'second']);
  });

  it('every alert is posted once, even by two posters at once; a log-in lock carries [Unlock log-in] with the member id; an alert older than a day is not posted', async () => {
    const chat = new TestChat(desk.app);
    const vars = await applyFixture(desk.app, { member: { username: 'kenji', email: 'kenji@example.com', password: 'Correct-Horse-Battery-42' }, card: { currency: 'JPY' } }, { channel: 'test', chatId: chat.chatId });
    const memberId = vars.memberId!;
    await desk.app.db.tx(async (tx) => {
      await raiseAlert(tx, { kind: 'login-lockout', memberId, details: { username: 'kenji', failures: 5, minutes: 15 } });
      await raiseAlert(tx, { kind: 'pin-lock', memberId, cardId: vars.cardId!, details: { last4: vars.last4!, failures: 3 } });
      await raiseAlert(tx, { kind: 'large-charge', memberId, cardId: vars.cardId!, details: { reference: 'CH-ABCD2345', amount: '200,000 JPY', paid: '1,350.00 USD', over: '150,000 JPY' } });
      await raiseAlert(tx, { kind: 'mail-undeliverable', details: { outboxId: 'o1', template: 'verification', attempts: 8, error: '550 no such user' } });
      await raiseAlert(tx, { kind: 'stale-rate', details: { pair: 'USD/JPY', maxAgeHours: 24 } });
      await raiseAlert(tx, { kind: 'refund-waiting', memberId, details: { amount: '1,000 JPY', reason: 'duplicate' } });
      await raiseAlert(tx, { kind: 'ledger-violation', details: { invariant: 'balance', account: 'card:x:JPY' } });
    });
    const old = await desk.app.db.tx((tx) => raiseAlert(tx, { kind: 'stale-rate', details: { pair: 'EUR/JPY', maxAgeHours: 24 } }));
    await desk.app.db.prisma.alert.update({ where: { id: old }, data: { createdAt: new Date(desk.app.clock.now().getTime() - 2 * 86_400_000) } });
    // A second process's poster on the same database.
    const other = new SlackPoster({
      client: new webApi.WebClient(desk.fake.botToken, { slackApiUrl: desk.fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }),
      outbox: createSupportServices({ db: desk.app.db, clock: desk.app.clock, log: desk.app.log, config: desk.app.config, store: desk.app.store }).outbox,
      channel: CHANNEL,
      log: desk.app.log,
      now: () => desk.app.clock.now(),
    });
    await Promise.all([desk.slack.pass(), other.pass(), desk.slack.pass(), other.pass()]);
    await desk.slack.pass();
    const texts = desk.fake.messages(CHANNEL).map((m) => blockText(m));
    expect(texts).toHaveLength(7);
    for (const want of ['Log-in locked', 'PIN locked', 'Large charge', 'E-mail undeliverable', 'FX rate stale', 'Refund waiting for approval', 'Alert: ledger-violation']) expect(texts.filter((t) => t.includes(want))).toHaveLength(1);
    expect(texts.join('\n')).not.toContain('EUR/JPY');
    expect(texts.find((t) => t.includes('Large charge'))).toContain(`*kenji* charged 200,000 JPY (paid 1,350.00 USD) onto •••• ${vars.last4}, reference CH-ABCD2345: over 150,000 JPY.`);
    const lock = desk.fake.messages(CHANNEL).find((m) => blockText(m).includes('Log-in locked'))!;
    expect(findButton(lock, 'Unlock log-in')).toMatchObject({ actionId: 'desk.unlock-login', value: memberId });
    expect(await desk.app.db.prisma.alert.count({ where: { slackQueuedAt: null } })).toBe(0);
    expect(await desk.app.db.prisma.slackPost.count({ where: { kind: 'alert', status: 'posted', ts: { not: null } } })).toBe(7);
  });
});
