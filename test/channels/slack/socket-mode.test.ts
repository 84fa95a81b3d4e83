import type { App } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../../src/channels/slack/app.js';
import { readBlocks } from '../../../src/testkit/slack/blocks.js';
import { FakeSlack } from '../../../src/testkit/slack/fake-slack-api.js';
import { blockActionPayload, eventCallbackBody, messageEvent, slashCommandBody } from '../../../src/testkit/slack/payloads.js';
import { captureLog } from './harness.js';

describe('Slack over Socket Mode: Bolt SocketModeReceiver against the fake', () => {
  let fake: FakeSlack;
  let app: App;
  beforeEach(async () => {
    fake = await FakeSlack.start();
    app = createSlackApp({ token: fake.botToken, appToken: fake.appToken, apiUrl: fake.apiUrl, log: captureLog().log });
  });
  afterEach(async () => {
    await app.stop();
    await fake.close();
  });

  it('app.start() opens the connection with apps.connections.open (app token) and is connected after hello', async () => {
    await app.start();
    expect(fake.socket.connections).toBe(1);
    const open = fake.callsTo('apps.connections.open');
    expect(open.map((c) => ({ token: c.token, status: c.status, error: c.error }))).toEqual([{ token: fake.appToken, status: 200, error: undefined }]);
  });

  it('a slash_commands envelope reaches app.command, and its ack (with blocks) comes back as the envelope payload', async () => {
    const seen: string[] = [];
    app.command('/omnipay', async ({ command, ack }) => {
      seen.push(command.text);
      await ack({ response_type: 'ephemeral', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'pong' } }] });
    });
    await app.start();
    const id = fake.socket.send('slash_commands', slashCommandBody({ text: 'ping', responseUrl: fake.responseUrl() }));
    const ack = await fake.socket.waitForAck(id);
    expect(seen).toEqual(['ping']);
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });
    expect(readBlocks(ack.payload).texts).toEqual(['pong']);
  });

  it("a bare ack() is sent as payload {} and ack('text') as { text }", async () => {
    app.command('/omnipay', async ({ command, ack }) => (command.text === 'bare' ? ack() : ack('as text')));
    await app.start();
    const bare = fake.socket.send('slash_commands', slashCommandBody({ text: 'bare' }));
    const text = fake.socket.send('slash_commands', slashCommandBody({ text: 'text' }));
    expect((await fake.socket.waitForAck(bare)).payload).toEqual({});
    expect((await fake.socket.waitForAck(text)).payload).toEqual({ text: 'as text' });
  });

  it('an events_api envelope is acked by Bolt itself, and a redelivery carries retry_attempt as context.retryNum', async () => {
    const retries: (number | undefined)[] = [];
    app.message(async ({ context }) => {
      retries.push(context.retryNum);
    });
    await app.start();
    const body = eventCallbackBody(messageEvent({ text: 'thread reply', threadTs: '1700000000.000500' }), { eventId: 'Ev0SOCKET' });
    const first = fake.socket.send('events_api', body);
    const again = fake.socket.send('events_api', body, { retryAttempt: 1, retryReason: 'timeout' });
    expect((await fake.socket.waitForAck(first)).payload).toEqual({});
    expect((await fake.socket.waitForAck(again)).payload).toEqual({});
    await fake.waitFor(() => (retries.length >= 2 ? true : undefined));
    expect(retries).toEqual([0, 1]);
  });

  it('an events_api envelope is acknowledged only once its listener is done; one whose listener fails is left unacknowledged, so Slack sends it again', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    app.message(async ({ message }) => {
      const text = (message as { text?: string }).text ?? '';
      seen.push(text);
      if (text === 'slow') await gate;
      if (text === 'fails') throw new Error('relay failed');
    });
    await app.start();
    const slow = fake.socket.send('events_api', eventCallbackBody(messageEvent({ text: 'slow', threadTs: '1700000000.000600' }), { eventId: 'Ev0SLOWSOCK' }));
    await fake.waitFor(() => (seen.includes('slow') ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.socket.acks.filter((a) => a.envelopeId === slow)).toEqual([]);
    release();
    expect((await fake.socket.waitForAck(slow)).payload).toEqual({});
    const failing = fake.socket.send('events_api', eventCallbackBody(messageEvent({ text: 'fails', threadTs: '1700000000.000700' }), { eventId: 'Ev0FAILSOCK' }));
    await fake.waitFor(() => (seen.includes('fails') ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.socket.acks.filter((a) => a.envelopeId === failing)).toEqual([]);
  });

  it('an interactive envelope (block_actions) reaches app.action and is acked', async () => {
    const values: string[] = [];
    app.action('freeze', async ({ ack, action }) => {
      values.push((action as { value: string }).value);
      await ack();
    });
    await app.start();
    const id = fake.socket.send('interactive', blockActionPayload({ actionId: 'freeze', value: 'card-4242' }));
    await fake.socket.waitForAck(id);
    expect(values).toEqual(['card-4242']);
  });

  it('apps.connections.open with the bot token instead of the app token is refused (not_allowed_token_type)', async () => {
    const res = await fetch(`${fake.apiUrl}apps.connections.open`, { method: 'POST', headers: { authorization: `Bearer ${fake.botToken}` } });
    expect(await res.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });
});
