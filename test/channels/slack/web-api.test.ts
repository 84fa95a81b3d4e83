import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDesk, type Desk } from './harness.js';

/** The Slack error string of a rejected Web API call. */
async function slackError(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
  }
}

describe("Bolt's Web API client against the fake Slack", () => {
  let desk: Desk;
  beforeEach(async () => {
    desk = await startDesk({
      fake: {
        users: [{ id: 'U0SUP', name: 'sam.support', realName: 'Sam Support', email: 'sam@omnipay.test' }],
        channels: [{ id: 'C0SUPPORT', name: 'support' }, { id: 'C0NOBOT', name: 'finance', isMember: false }],
      },
    });
  });
  afterEach(async () => {
    await desk.close();
  });

  it('files.uploadV2 of a CSV from a command listener: upload URL, bytes and share (channel, thread, title) land in the fake', async () => {
    const csv = 'date,description,amount\n2025-01-02,Top-up,JPY 10000\n2025-01-03,"Coffee, large",JPY -480\n';
    desk.app.command('/omnipay', async ({ ack, client, command }) => {
      await ack();
      await client.files.uploadV2({ channel_id: command.channel_id, thread_ts: '1700000000.000600', filename: 'history-alice.csv', title: 'History of alice', content: csv, initial_comment: 'History, 01/01/2025 – 01/31/2025' });
    });
    await desk.slack.command({ text: 'history alice 01/01/2025 01/31/2025' });
    await desk.fake.waitForCall('files.completeUploadExternal');
    expect(desk.fake.calls.map((c) => c.method).filter((m) => m !== 'auth.test')).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    expect(desk.fake.callsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({ filename: 'history-alice.csv', length: String(Buffer.byteLength(csv)) });
    const [share, ...more] = desk.fake.state.shares;
    expect(more).toEqual([]);
    expect(share).toMatchObject({ channel: 'C0SUPPORT', threadTs: '1700000000.000600', title: 'History of alice', filename: 'history-alice.csv', initialComment: 'History, 01/01/2025 – 01/31/2025' });
    expect(share?.content.toString('utf8')).toBe(csv);
  });

  it('a ratelimited answer (HTTP 429, Retry-After: 1) is waited out and retried by the client, and the message lands once', async () => {
    desk.fake.fail('chat.postMessage', 'ratelimited', { retryAfter: 1 });
    const started = Date.now();
    const res = await desk.app.client.chat.postMessage({ channel: 'C0SUPPORT', text: 'Alert: log-in locked' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(res.ok).toBe(true);
    expect(desk.fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(desk.fake.messages('C0SUPPORT').map((m) => m.text)).toEqual(['Alert: log-in locked']);
  }, 15_000);

  it('an injected channel_not_found rejects the call at once (no retry) and nothing is posted', async () => {
    desk.fake.fail('chat.postMessage', 'channel_not_found');
    expect(await slackError(desk.app.client.chat.postMessage({ channel: 'C0SUPPORT', text: 'x' }))).toBe('channel_not_found');
    expect(desk.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(desk.fake.messages('C0SUPPORT')).toEqual([]);
  });

  it('posting into a known channel the bot is not in is not_in_channel; the injected error works for any method too', async () => {
    expect(await slackError(desk.app.client.chat.postMessage({ channel: 'C0NOBOT', text: 'x' }))).toBe('not_in_channel');
    desk.fake.fail('chat.postEphemeral', 'not_in_channel');
    expect(await slackError(desk.app.client.chat.postEphemeral({ channel: 'C0SUPPORT', user: 'U0SUP', text: 'x' }))).toBe('not_in_channel');
  });

  it('an injected error lasts for exactly the next N calls of that method', async () => {
    desk.fake.fail('users.info', 'fatal_error', { times: 2 });
    expect(await slackError(desk.app.client.users.info({ user: 'U0SUP' }))).toBe('fatal_error');
    expect(await slackError(desk.app.client.users.info({ user: 'U0SUP' }))).toBe('fatal_error');
    const third = await desk.app.client.users.info({ user: 'U0SUP' });
    expect(third.user).toMatchObject({ id: 'U0SUP', name: 'sam.support', real_name: 'Sam Support', profile: { email: 'sam@omnipay.test' } });
  });

  it('users.info of an unknown user is user_not_found; conversations.info knows configured channels only', async () => {
    expect(await slackError(desk.app.client.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
    const info = await desk.app.client.conversations.info({ channel: 'C0NOBOT' });
    expect(info.channel).toMatchObject({ id: 'C0NOBOT', name: 'finance', is_member: false });
    expect(await slackError(desk.app.client.conversations.info({ channel: 'C0GONE' }))).toBe('channel_not_found');
  });

  it('messages are kept per channel and thread; chat.update keeps the earlier version, chat.delete hides the message', async () => {
    const parent = await desk.app.client.chat.postMessage({ channel: 'C0SUPPORT', text: 'Hand-off: alice' });
    await desk.app.client.chat.postMessage({ channel: 'C0SUPPORT', thread_ts: parent.ts!, text: 'Cardholder: hello?' });
    await desk.app.client.chat.update({ channel: 'C0SUPPORT', ts: parent.ts!, text: 'Hand-off: alice (taken by sam)' });
    expect(desk.fake.messages('C0SUPPORT', { threadTs: parent.ts! }).map((m) => m.text)).toEqual(['Cardholder: hello?']);
    const [top] = desk.fake.messages('C0SUPPORT');
    expect(top).toMatchObject({ text: 'Hand-off: alice (taken by sam)', history: [{ text: 'Hand-off: alice' }] });
    await desk.app.client.chat.delete({ channel: 'C0SUPPORT', ts: parent.ts! });
    expect(desk.fake.messages('C0SUPPORT').map((m) => m.text)).toEqual(['Cardholder: hello?']);
    expect(await slackError(desk.app.client.chat.update({ channel: 'C0SUPPORT', ts: parent.ts!, text: 'again' }))).toBe('message_not_found');
  });

  it('views.push stacks a modal and views.update replaces it by view_id', async () => {
    const opened = await desk.app.client.views.open({ trigger_id: 'TR1', view: { type: 'modal', title: { type: 'plain_text', text: 'Refund' }, blocks: [] } });
    await desk.app.client.views.push({ trigger_id: 'TR2', view: { type: 'modal', title: { type: 'plain_text', text: 'Confirm' }, blocks: [] } });
    await desk.app.client.views.update({ view_id: opened.view!.id!, view: { type: 'modal', title: { type: 'plain_text', text: 'Refund sent' }, blocks: [] } });
    expect(desk.fake.state.views.map((v) => ({ via: v.via, title: (v.view.title as { text: string }).text, updates: v.updates }))).toEqual([
      { via: 'views.open', title: 'Refund sent', updates: 1 },
      { via: 'views.push', title: 'Confirm', updates: 0 },
    ]);
  });

  it('a call with a token the fake does not know is invalid_auth', async () => {
    expect(await slackError(desk.app.client.auth.test({ token: 'xoxb-stolen' }))).toBe('invalid_auth');
  });

  it('an injected response_url failure makes respond() reject with RespondError (status 404)', async () => {
    let failure: unknown;
    desk.app.command('/omnipay', async ({ ack, respond }) => {
      await ack();
      failure = await respond('late').then(() => 'resolved', (err: { code?: string; statusCode?: number }) => `${err.code} ${err.statusCode}`);
    });
    desk.fake.fail('response_url', 'expired_url');
    await desk.slack.command({ text: 'help' });
    await desk.fake.waitFor(() => failure);
    expect(failure).toBe('slack_bolt_respond_error 404');
    expect(desk.fake.responses).toEqual([]);
  });
});
