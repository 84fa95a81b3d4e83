import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAssistant, type Running } from '../../../src/app/start.js';
import { loadConfig } from '../../../src/config/config.js';
import { DbSnapshots } from '../../../src/infra/store/db-snapshots.js';
import { MemoryStore } from '../../../src/infra/store/memory.js';
import { blockText } from '../../../src/testkit/slack/blocks.js';
import { FakeSlack } from '../../../src/testkit/slack/fake-slack-api.js';
import { eventCallbackBody, messageEvent } from '../../../src/testkit/slack/payloads.js';
import { SignedSlack } from '../../../src/testkit/slack/signed.js';
import { raiseAlert } from '../../../src/services/alerts.js';
import { LogCapture, TestChat } from '../../support/app.js';
import { testDatabase } from '../../support/db.js';
import { SIGNING_SECRET } from './harness.js';
import { CHANNEL, KIM, SAM, expectBlocksWithinLimits } from './support-harness.js';

/** The whole assistant, started as `npm start` starts it, with Slack pointed at a fake. */
async function start(fake: FakeSlack, env: Record<string, string> = {}): Promise<{ running: Running; logs: LogCapture }> {
  const db = await testDatabase('pglite');
  const store = new MemoryStore(new DbSnapshots(db));
  const logs = new LogCapture();
  const config = loadConfig({
    NODE_ENV: 'test', DATA_DIR: mkdtempSync(join(tmpdir(), 'omnipay-slack-')), APP_SECRET: 'slack-runner-secret-0123456789abcdef0123', HTTP_PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'debug',
    SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SLACK_SUPPORT_CHANNEL: CHANNEL, SLACK_SUPPORT_USERS: `${SAM},${KIM}`,
    ...env,
  });
  const running = await startAssistant(config, { db, store, console: false, logDestination: logs, quietMetrics: true }).catch(async (err: unknown) => {
    await db.close();
    throw err;
  });
  running.app.onClose(() => db.close());
  running.app.onClose(() => store.close());
  return { running, logs };
}

describe('the slack runner in the running assistant', () => {
  let fake: FakeSlack;
  let running: Running | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    expectBlocksWithinLimits(fake);
    await fake.close();
  });

  it('serves POST /slack/events on HTTP_PORT: signed requests reach Bolt; a bad signature or a six-minute-old timestamp is 401 and calls no Web API method', async () => {
    fake = await FakeSlack.start({ channels: [{ id: CHANNEL, name: 'support' }] });
    ({ running } = await start(fake));
    const slack = new SignedSlack({ url: `http://127.0.0.1:${running.httpPort}/slack/events`, signingSecret: SIGNING_SECRET, responseUrl: () => fake.responseUrl() });
    expect((await slack.urlVerification('challenge-1')).json()).toEqual({ challenge: 'challenge-1' });
    const before = fake.calls.length;
    const click = { actionId: 'support.close', value: 'some-ticket', userId: SAM };
    expect((await slack.blockAction(click, { badSignature: true })).status).toBe(401);
    expect((await slack.blockAction(click, { ageSec: -6 * 60 })).status).toBe(401);
    expect((await slack.blockAction(click, { unsigned: true })).status).toBe(401);
    expect((await slack.event(messageEvent({ text: 'hi', threadTs: '1.2', user: SAM }), {}, { badSignature: true })).status).toBe(401);
    expect(fake.calls.slice(before)).toEqual([]);
  });

  it('posts alerts and hand-offs in the background and relays an agent reply to the chat, with no pass asked for', async () => {
    fake = await FakeSlack.start({ users: [{ id: SAM, name: 'sam', realName: 'Sam Support' }], channels: [{ id: CHANNEL, name: 'support' }] });
    ({ running } = await start(fake));
    const app = running.app;
    await app.db.tx((tx) => raiseAlert(tx, { kind: 'stale-rate', details: { pair: 'USD/JPY', maxAgeHours: 24 } }));
    await fake.waitForCall('chat.postMessage', (c) => JSON.stringify(c.args.blocks).includes('FX rate stale'));
    const chat = new TestChat(app);
    await chat.send('/support');
    await chat.send('Please call me back');
    const root = await fake.waitFor(() => fake.messages(CHANNEL).find((m) => blockText(m).includes('Please call me back')));
    const slack = new SignedSlack({ url: `http://127.0.0.1:${running.httpPort}/slack/events`, signingSecret: SIGNING_SECRET });
    await slack.event(messageEvent({ text: 'Calling you in five minutes', threadTs: root.ts, user: SAM, channel: CHANNEL }));
    await fake.waitFor(() => chat.delivered.find((t) => t.endsWith('Calling you in five minutes')));
    expect(chat.delivered.at(-1)).toMatch(/^Sam Support \(OMNIPAY support, SUP-\d{5}\):\nCalling you in five minutes$/);
  });

  it('warns once at start when fewer than two people may act (nothing could be approved), and not with two', async () => {
    fake = await FakeSlack.start({ channels: [{ id: CHANNEL, name: 'support' }] });
    const one = await start(fake, { SLACK_SUPPORT_USERS: SAM, SLACK_ADMIN_USERS: SAM });
    running = one.running;
    const warned = (logs: LogCapture) => logs.lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40 && l.msg.includes('refunds and reversals need a second person'));
    expect(warned(one.logs).map((l) => l.msg)).toEqual(['slack: SLACK_SUPPORT_USERS and SLACK_ADMIN_USERS name one person only; refunds and reversals need a second person, so none can be approved']);
    await running.stop();
    const two = await start(fake, { SLACK_SUPPORT_USERS: SAM, SLACK_ADMIN_USERS: KIM });
    running = two.running;
    expect(warned(two.logs)).toEqual([]);
  });

  it('a token Slack refuses stops the start with one line naming SLACK_BOT_TOKEN', async () => {
    fake = await FakeSlack.start();
    fake.fail('auth.test', 'invalid_auth');
    await expect(start(fake)).rejects.toThrow(/^SLACK_BOT_TOKEN: Slack refused the token \(invalid_auth\); copy the Bot User OAuth Token \(xoxb-…\) again$/);
  });

  it('Socket Mode with SLACK_APP_TOKEN: connects with the app token; a thread reply over the WebSocket reaches the chat once, even redelivered', async () => {
    fake = await FakeSlack.start({ users: [{ id: KIM, name: 'kim', realName: 'Kim Support' }], channels: [{ id: CHANNEL, name: 'support' }] });
    const started = await start(fake, { SLACK_APP_TOKEN: fake.appToken, SLACK_SIGNING_SECRET: '' });
    running = started.running;
    await fake.socket.connected(1);
    expect(fake.callsTo('apps.connections.open').map((c) => c.token)).toEqual([fake.appToken]);
    const chat = new TestChat(running.app);
    await chat.send('/support');
    await chat.send('Over the socket please');
    const root = await fake.waitFor(() => fake.messages(CHANNEL).find((m) => blockText(m).includes('Over the socket please')));
    const body = eventCallbackBody(messageEvent({ text: 'Hello from Socket Mode', threadTs: root.ts, user: KIM, channel: CHANNEL }), { eventId: 'Ev0SOCKETRELAY' });
    await fake.socket.waitForAck(fake.socket.send('events_api', body));
    await fake.waitFor(() => chat.delivered.find((t) => t.endsWith('Hello from Socket Mode')));
    await fake.socket.waitForAck(fake.socket.send('events_api', body, { retryAttempt: 1, retryReason: 'timeout' }));
    // The redelivery was handled too: stopped at its event_id, remembered once relayed.
    await fake.waitFor(() => started.logs.lines.find((l) => l.includes('event seen before') && l.includes('Ev0SOCKETRELAY')));
    expect(await running.app.db.prisma.chatNotice.count({ where: { key: 'support-agent-reply' } })).toBe(1);
    expect(chat.delivered.filter((t) => t.endsWith('Hello from Socket Mode'))).toHaveLength(1);
  });
});
