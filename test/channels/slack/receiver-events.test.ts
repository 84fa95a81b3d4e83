import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageEvent } from '../../../src/testkit/slack/payloads.js';
import { sleep, startDesk, type Desk } from './harness.js';

/** What a message listener saw of one delivery. */
interface Seen {
  text: string;
  threadTs?: string;
  retryNum?: number;
  retryReason?: string;
}

describe('Slack receiver: Events API through Bolt over our HttpServer', () => {
  let desk: Desk;
  let seen: Seen[];
  beforeEach(async () => {
    desk = await startDesk();
    seen = [];
    desk.app.message(async ({ message, context }) => {
      const m = message as { text?: string; thread_ts?: string };
      seen.push({ text: m.text ?? '', ...(m.thread_ts ? { threadTs: m.thread_ts } : {}), ...(context.retryNum !== undefined ? { retryNum: context.retryNum } : {}), ...(context.retryReason ? { retryReason: context.retryReason } : {}) });
    });
  });
  afterEach(async () => {
    await desk.close();
  });

  it('a support reply in a thread reaches app.message exactly once, with its thread_ts and no retry marks', async () => {
    const res = await desk.slack.event(messageEvent({ text: 'Hello, I can help', threadTs: '1700000000.000200', user: 'U0SUP' }), { eventId: 'Ev0THREAD1' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await desk.fake.waitFor(() => (seen.length > 0 ? true : undefined));
    await sleep(100);
    expect(seen).toEqual([{ text: 'Hello, I can help', threadTs: '1700000000.000200' }]);
  });

  it('a redelivery (same event_id, X-Slack-Retry-Num 1) reaches the listener again, marked retryNum 1 and its reason: Bolt does not de-duplicate', async () => {
    const event = messageEvent({ text: 'Is my card frozen?', threadTs: '1700000000.000300' });
    await desk.slack.event(event, { eventId: 'Ev0REDELIVER' });
    const again = await desk.slack.event(event, { eventId: 'Ev0REDELIVER' }, { retry: { num: 1, reason: 'http_timeout' } });
    expect(again.status).toBe(200);
    await desk.fake.waitFor(() => (seen.length >= 2 ? true : undefined));
    expect(seen).toEqual([
      { text: 'Is my card frozen?', threadTs: '1700000000.000300' },
      { text: 'Is my card frozen?', threadTs: '1700000000.000300', retryNum: 1, retryReason: 'http_timeout' },
    ]);
  });

  it("the app's own bot_message is dropped by Bolt's ignoreSelf (bot id from auth.test); another app's bot_message gets through", async () => {
    await desk.slack.event(messageEvent({ text: 'from us', botId: 'B0FAKEBOT', threadTs: '1700000000.000400' }));
    await desk.slack.event(messageEvent({ text: 'from another app', botId: 'B0OTHER', threadTs: '1700000000.000400' }));
    await desk.fake.waitFor(() => (seen.length > 0 ? true : undefined));
    await sleep(100);
    expect(seen.map((s) => s.text)).toEqual(['from another app']);
  });

  it('url_verification is answered with its challenge, and reaches no listener and no Web API method', async () => {
    const before = desk.fake.calls.length;
    const res = await desk.slack.urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    await sleep(100);
    expect(seen).toEqual([]);
    expect(desk.fake.calls.length).toBe(before);
  });

  it('an events request with a malformed JSON body is answered 400', async () => {
    const res = await desk.slack.post('{"type":"event_callback",', 'application/json');
    expect(res.status).toBe(400);
  });
});
