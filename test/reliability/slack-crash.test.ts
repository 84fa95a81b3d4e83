/**
 * Hand-off under crash and replay: the compiled assistant, started as `npm start` starts it, with
 * the Slack desk over HTTP against a fake Web API, PostgreSQL and Redis. An agent's thread reply
 * whose process is SIGKILLed before the relay commits, and again right after it, is delivered again
 * by "Slack" (signed redeliveries, as Slack retries an unanswered event) and reaches the chat once;
 * with two assistants on one database and Redis, one event and one [Close] press each delivered 50
 * times at once, half to each, act once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrator.js';
import { FakeSlack } from '../../src/testkit/slack/fake-slack-api.js';
import { findButton } from '../../src/testkit/slack/blocks.js';
import { messageEvent } from '../../src/testkit/slack/payloads.js';
import { SignedSlack, type SignedResponse } from '../../src/testkit/slack/signed.js';
import { freePort } from '../../src/testkit/net.js';
import { ASSISTANT, spawnCompiled, stopProcess, type Spawned } from '../app/process.js';
import { TEST_PG_URL, exclusiveRedisDb, uniqueName } from '../support/db.js';
import { SIGNING_SECRET } from '../channels/slack/harness.js';
import { CHANNEL, KIM, SAM } from '../channels/slack/support-harness.js';

/** The event hold of src/channels/slack/events.ts (10 s), and a little more. */
const HOLD_LAPSED_MS = 10_500;

describe('a Slack thread reply across crashes of the assistant (PostgreSQL + Redis, compiled, over HTTP)', () => {
  let fake: FakeSlack;
  let db: Database;
  let env: Record<string, string>;
  let dbName = '';
  let redis: Awaited<ReturnType<typeof exclusiveRedisDb>> | undefined;
  const runs: Spawned[] = [];
  // Each test on a database, a Redis database and a Slack workspace of its own (the console chat is one chat).
  beforeEach(async () => {
    fake = await FakeSlack.start({ users: [{ id: SAM, name: 'sam', realName: 'Sam Support' }], channels: [{ id: CHANNEL, name: 'support' }] });
    const name = (dbName = uniqueName('slackcrash').toLowerCase());
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = TEST_PG_URL.replace(/\/[^/]+$/, `/${name}`);
    db = await openPostgres({ url, poolSize: 2 });
    await migrate(db);
    // A Redis database of its own (1-15): the assistant uses unprefixed keys.
    redis = await exclusiveRedisDb();
    env = {
      NODE_ENV: 'test', DATABASE_URL: url, REDIS_URL: redis.url, APP_SECRET: 'slack-crash-secret-0123456789abcdef0123',
      METRICS_PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: mkdtempSync(join(tmpdir(), 'omnipay-slack-crash-')),
      SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SLACK_SUPPORT_CHANNEL: CHANNEL, SLACK_SUPPORT_USERS: `${SAM},${KIM}`,
    };
  }, 60_000);
  afterEach(async () => {
    for (const r of runs) await stopProcess(r);
    runs.length = 0;
    await db?.close();
    await fake?.close();
    if (dbName) {
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
      dbName = '';
    }
    await redis?.release();
    redis = undefined;
  });

  /** Starts the assistant (with `failpoints` armed) and waits for its console chat. */
  async function start(failpoints?: string): Promise<{ run: Spawned; slack: SignedSlack }> {
    const port = await freePort();
    const run = spawnCompiled(ASSISTANT, [], { ...env, HTTP_PORT: String(port), ...(failpoints ? { OMNIPAY_FAILPOINTS: failpoints } : {}) });
    runs.push(run);
    await run.waitFor('What would you like to do?', 90_000);
    return { run, slack: new SignedSlack({ url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET, responseUrl: () => fake.responseUrl() }) };
  }
  /** The ticket root in the channel, once the assistant has recorded its ts (before that a reply in its thread is no ticket's). */
  async function rootOf(text: string) {
    const root = await fake.waitFor(() => fake.messages(CHANNEL).find((m) => JSON.stringify(m.blocks ?? m.text).includes(text)), 30_000);
    const deadline = Date.now() + 30_000;
    while (!(await db.prisma.supportThread.count({ where: { slackTs: root.ts } }))) {
      if (Date.now() > deadline) throw new Error(`the ticket of "${text}" never recorded its Slack ts ${root.ts}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return root;
  }
  const post = (p: Promise<SignedResponse>) => p.then((r) => r.status, (err: Error) => `no answer (${err.message})`);

  it('killed before the relay commits and again right after it: no 200 while unrelayed, a redelivery while held is 500, the reply reaches the chat once', async () => {
    // Run 1: the hand-off; the agent's reply arrives and the process dies before the relay commits.
    const one = await start('slack.relay.before:kill:1');
    one.run.write('/support');
    await one.run.waitFor('tell me in one line', 60_000);
    one.run.write('My card was declined');
    await one.run.waitFor(/Your ticket \(?SUP-\d{5}/, 60_000);
    const root = await rootOf('My card was declined');
    const reply = messageEvent({ text: 'We have unblocked your card', threadTs: root.ts, user: SAM, channel: CHANNEL });
    const first = await post(one.slack.event(reply, { eventId: 'Ev0CRASH' }));
    expect(String(first)).toMatch(/^no answer/);
    expect(await one.run.exited).toBe('SIGKILL');
    expect(one.run.stderr()).toContain('failpoint slack.relay.before: SIGKILL');

    // Run 2: Slack's immediate retry finds the dead process's hold (500, tries later); once the
    // hold lapses the retry relays, and the process dies right after the commit.
    const two = await start('slack.relay.after:kill:1');
    expect(await post(two.slack.event(reply, { eventId: 'Ev0CRASH' }, { retry: { num: 1, reason: 'http_error' } }))).toBe(500);
    await new Promise((r) => setTimeout(r, HOLD_LAPSED_MS));
    expect(String(await post(two.slack.event(reply, { eventId: 'Ev0CRASH' }, { retry: { num: 2, reason: 'http_error' } })))).toMatch(/^no answer/);
    expect(await two.run.exited).toBe('SIGKILL');
    expect(two.run.stderr()).toContain('failpoint slack.relay.after: SIGKILL');
    expect(await db.prisma.chatNotice.count({ where: { key: 'support-agent-reply' } })).toBe(1);

    // Run 3: the last retry finds the reply relayed already: 200, nothing added; the chat shows it once.
    const three = await start();
    await new Promise((r) => setTimeout(r, HOLD_LAPSED_MS));
    expect(await post(three.slack.event(reply, { eventId: 'Ev0CRASH' }, { retry: { num: 3, reason: 'http_error' } }))).toBe(200);
    await three.run.waitFor('We have unblocked your card', 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    const shown = runs.map((r) => r.stdout().split('We have unblocked your card').length - 1);
    expect(shown).toEqual([0, 0, 1]);
    expect(await db.prisma.chatNotice.count({ where: { key: 'support-agent-reply' } })).toBe(1);
  }, 240_000);

  it('two assistants: one thread reply and one [Close] press, each delivered 50 times at once (25 to each), relay once and close once', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const both = [a, b];
    // Both consoles are the one chat `console:local`: a reply may be printed by either process.
    const shown = (text: string | RegExp) => both.reduce((n, p) => n + (p.run.stdout().match(new RegExp(text, 'g'))?.length ?? 0), 0);
    const appears = (text: string | RegExp) => fake.waitFor(() => (shown(text) > 0 ? true : undefined), 60_000, String(text));
    a.run.write('/support');
    await appears('tell me in one line');
    a.run.write('Two of you, one of me');
    await appears(/Your ticket \(?SUP-\d{5}/);
    const root = await rootOf('Two of you, one of me');

    const reply = messageEvent({ text: 'One answer for two servers', threadTs: root.ts, user: SAM, channel: CHANNEL });
    const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) => post(both[i % 2]!.slack.event(reply, { eventId: 'Ev0TWICE' }, i ? { retry: { num: 1 + (i % 3), reason: 'http_timeout' } } : {}))));
    // 200 once relayed (or seen done), 500 while another delivery held it: Slack tries those later.
    expect(statuses.filter((x) => x !== 200 && x !== 500)).toEqual([]);
    expect(statuses).toContain(200);
    await appears('One answer for two servers');
    await new Promise((r) => setTimeout(r, HOLD_LAPSED_MS));
    expect(await post(b.slack.event(reply, { eventId: 'Ev0TWICE' }, { retry: { num: 3, reason: 'http_timeout' } }))).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(shown('One answer for two servers')).toBe(1);
    expect(await db.prisma.auditLog.count({ where: { action: 'support.reply' } })).toBe(1);

    const close = findButton(root, 'Close');
    const press = { actionId: close.actionId!, value: close.value!, userId: SAM, channelId: CHANNEL, message: { ts: root.ts, blocks: root.blocks } };
    const pressed = await Promise.all(Array.from({ length: 50 }, (_, i) => post(both[i % 2]!.slack.blockAction(press))));
    expect(pressed).toEqual(Array(50).fill(200));
    await appears('Support closed the conversation');
    await new Promise((r) => setTimeout(r, 1500));
    expect(shown('Support closed the conversation')).toBe(1);
    expect(await db.prisma.auditLog.count({ where: { action: 'support.close' } })).toBe(1);
    expect(fake.messages(CHANNEL, { threadTs: root.ts }).filter((m) => JSON.stringify(m.blocks ?? m.text).includes('closed by')).length).toBe(1);
  }, 240_000);
});
