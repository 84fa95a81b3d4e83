import type { SlashCommand } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBlocks } from '../../../src/testkit/slack/blocks.js';
import { startDesk, type Desk } from './harness.js';

describe('Slack receiver: slash commands through Bolt over our HttpServer', () => {
  let desk: Desk;
  beforeEach(async () => {
    desk = await startDesk();
  });
  afterEach(async () => {
    await desk.close();
  });

  it('a command acked with blocks is answered with them as the HTTP response body (JSON)', async () => {
    const seen: SlashCommand[] = [];
    desk.app.command('/omnipay', async ({ command, ack }) => {
      seen.push(command);
      await ack({
        response_type: 'ephemeral',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `Member *${command.text.split(' ')[1]}*` } },
          { type: 'actions', elements: [{ type: 'button', action_id: 'unlock_login', value: 'alice', text: { type: 'plain_text', text: 'Unlock log-in' } }] },
        ],
      });
    });
    const res = await desk.slack.command({ text: 'lookup alice', userId: 'U0SUP' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const answer = readBlocks(res.json());
    expect(answer.texts).toEqual(['Member *alice*']);
    expect(answer.buttons).toEqual([{ text: 'Unlock log-in', actionId: 'unlock_login', value: 'alice' }]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ command: '/omnipay', text: 'lookup alice', user_id: 'U0SUP', channel_id: 'C0SUPPORT' });
  });

  it("a command acked with a string is answered with that text as text/plain", async () => {
    desk.app.command('/omnipay', async ({ ack }) => ack('Working on it…'));
    const res = await desk.slack.command({ text: 'help' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toBe('Working on it…');
  });

  it("respond() after an empty ack posts JSON to the command's response_url, and the HTTP answer is empty", async () => {
    desk.app.command('/omnipay', async ({ ack, respond }) => {
      await ack();
      await respond({ response_type: 'ephemeral', text: 'Rates', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'FX rates' } }] });
    });
    const responseUrl = desk.fake.responseUrl();
    const res = await desk.slack.command({ text: 'rates', responseUrl });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const posted = await desk.fake.waitForResponse();
    expect(posted.url).toBe(responseUrl);
    expect(posted.body).toMatchObject({ response_type: 'ephemeral', text: 'Rates' });
    expect(readBlocks(posted.body).texts).toEqual(['FX rates']);
  });

  it('client.chat.postMessage from a command listener lands in the fake, sent with the bot token', async () => {
    desk.app.command('/omnipay', async ({ ack, client, command }) => {
      await ack();
      await client.chat.postMessage({ channel: command.channel_id, text: 'Refund waiting for approval', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Refund *JPY 1,000*' } }] });
    });
    await desk.slack.command({ text: 'refund', channelId: 'C0DESK' });
    const call = await desk.fake.waitForCall('chat.postMessage');
    expect(call.token).toBe(desk.fake.botToken);
    const [message, ...more] = desk.fake.messages('C0DESK');
    expect(more).toEqual([]);
    expect(message?.text).toBe('Refund waiting for approval');
    expect(readBlocks(message).texts).toEqual(['Refund *JPY 1,000*']);
  });

  it('a command nobody acks is answered 404 once the ack deadline passes, and the miss is logged', async () => {
    await desk.close();
    desk = await startDesk({ ackTimeoutMs: 300 });
    const started = Date.now();
    const res = await desk.slack.command({ text: 'help' });
    expect(res.status).toBe(404);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(desk.lines.some((l) => l.level === 50 && String(l.msg).includes('not acknowledged') && l.command === '/omnipay')).toBe(true);
  });

  it('a listener that throws before ack() is answered 500 and the failure is logged', async () => {
    desk.app.command('/omnipay', async () => {
      throw new Error('lookup exploded');
    });
    const res = await desk.slack.command({ text: 'lookup bob' });
    expect(res.status).toBe(500);
    expect(desk.lines.some((l) => l.level === 50 && l.err === 'lookup exploded')).toBe(true);
  });

  it('a second ack() rejects with ReceiverMultipleAckError and the first answer stands', async () => {
    let second: unknown;
    desk.app.command('/omnipay', async ({ ack }) => {
      await ack('first');
      second = await ack('second').then(() => 'resolved', (err: { code?: string }) => err.code);
    });
    const res = await desk.slack.command({ text: 'help' });
    expect(res.text).toBe('first');
    await desk.fake.waitFor(() => second);
    expect(second).toBe('slack_bolt_receiver_ack_multiple_error');
  });
});
