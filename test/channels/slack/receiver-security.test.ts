import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signatureHeaders } from '../../../src/testkit/slack/signed.js';
import { SIGNING_SECRET, sleep, startDesk, type Desk } from './harness.js';

describe('Slack receiver: v0 request signatures', () => {
  let desk: Desk;
  let ran: string[];
  beforeEach(async () => {
    desk = await startDesk();
    ran = [];
    // A listener that would be seen twice over: it records itself and calls the Web API.
    desk.app.command('/omnipay', async ({ ack, command, client }) => {
      ran.push(command.text);
      await ack('done');
      await client.chat.postMessage({ channel: command.channel_id, text: `ran ${command.text}` });
    });
  });
  afterEach(async () => {
    await desk.close();
  });

  /** Waits long enough for a wrongly accepted request to have reached the listener and the fake. */
  async function nothingHappened(callsBefore: number): Promise<void> {
    await sleep(150);
    expect(ran).toEqual([]);
    expect(desk.fake.calls.slice(callsBefore)).toEqual([]);
  }

  it('signatureHeaders computes v0=HMAC-SHA256(secret, "v0:ts:body") (Slack\'s documented example)', () => {
    // The example from Slack's "Verifying requests from Slack" guide.
    const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signatureHeaders('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toEqual({
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'x-slack-request-timestamp': '1531420618',
    });
  });

  it('a correctly signed command runs (the control for the refusals below)', async () => {
    const res = await desk.slack.command({ text: 'help' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('done');
    await desk.fake.waitForCall('chat.postMessage');
    expect(ran).toEqual(['help']);
  });

  it('a bad signature is answered 401: the listener never runs and the fake gets no call', async () => {
    const before = desk.fake.calls.length;
    const res = await desk.slack.command({ text: 'lookup alice' }, { badSignature: true });
    expect(res.status).toBe(401);
    expect(res.text).toBe('');
    await nothingHappened(before);
    expect(desk.lines.some((l) => l.msg === 'slack request refused' && String(l.reason).includes('signature mismatch'))).toBe(true);
  });

  it('a correctly signed request 6 minutes old is answered 401 and nothing runs', async () => {
    const before = desk.fake.calls.length;
    const res = await desk.slack.command({ text: 'lookup alice' }, { ageSec: -6 * 60 });
    expect(res.status).toBe(401);
    await nothingHappened(before);
  });

  it('a correctly signed request 4 minutes old is still accepted (the window is 5 minutes)', async () => {
    const res = await desk.slack.command({ text: 'help' }, { ageSec: -4 * 60 });
    expect(res.status).toBe(200);
    expect(ran).toEqual(['help']);
  });

  it('a request signed 6 minutes in the future is answered 401 and nothing runs', async () => {
    const before = desk.fake.calls.length;
    const res = await desk.slack.command({ text: 'lookup alice' }, { ageSec: 6 * 60 });
    expect(res.status).toBe(401);
    await nothingHappened(before);
  });

  it('a request without signature headers is answered 401 and nothing runs', async () => {
    const before = desk.fake.calls.length;
    const res = await desk.slack.command({ text: 'lookup alice' }, { unsigned: true });
    expect(res.status).toBe(401);
    await nothingHappened(before);
  });

  it('a signed body changed in transit is answered 401', async () => {
    const body = 'command=%2Fomnipay&text=help&channel_id=C0SUPPORT&user_id=U0SUP';
    const ts = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders(SIGNING_SECRET, body, ts);
    const res = await fetch(desk.url, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: body.replace('help', 'rates%20set%20USD%20JPY%201') });
    expect(res.status).toBe(401);
    await nothingHappened(desk.fake.calls.length);
  });

  it('after app.stop() the route answers 503 and nothing runs', async () => {
    await desk.app.stop();
    const before = desk.fake.calls.length;
    const res = await desk.slack.command({ text: 'help' });
    expect(res.status).toBe(503);
    await nothingHappened(before);
  });
});
