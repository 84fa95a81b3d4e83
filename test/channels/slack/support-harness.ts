import { expect } from 'vitest';
import { slackPorts } from '../../../src/app/ports.js';
import { dispatchNotices } from '../../../src/app/notices.js';
import { startSlack, type SlackChannel } from '../../../src/channels/slack/channel.js';
import { HttpServer } from '../../../src/infra/http/server.js';
import { checkBlockLimits } from '../../../src/testkit/slack/blocks.js';
import { FakeSlack } from '../../../src/testkit/slack/fake-slack-api.js';
import { messageEvent } from '../../../src/testkit/slack/payloads.js';
import { SignedSlack } from '../../../src/testkit/slack/signed.js';
import { testApp, type TestApp } from '../../support/app.js';
import type { DbKind, StoreKind } from '../../support/db.js';
import { SIGNING_SECRET } from './harness.js';

/** The support channel and the people of the desks under test. */
export const CHANNEL = 'C0SUPPORT';
export const SAM = 'U0SAM';
export const KIM = 'U0KIM';
export const ADA = 'U0ADA';
export const EVE = 'U0EVE';

/** The assistant with Slack on: its real Slack channel over HTTP against a fake Web API. */
export interface SupportDesk {
  fake: FakeSlack;
  app: TestApp;
  slack: SlackChannel;
  signed: SignedSlack;
  http: HttpServer;
  /** The request URL, `http://127.0.0.1:PORT/slack/events`. */
  url: string;
  /** Outbox passes until nothing is left to post now, then the chat notices that are due. */
  settle(): Promise<void>;
  /** The messages posted in the support channel (thread replies included), oldest first. */
  posts(): { ts: string; threadTs?: string; text: string; blocks: unknown[] }[];
  /** An agent's reply in a thread, signed as Slack sends it; waits until the listener is done. */
  reply(threadTs: string, text: string, o?: { user?: string; eventId?: string; retry?: number }): Promise<number>;
  close(): Promise<void>;
}

/** Starts a support desk on the given database and store kinds. */
export async function startSupportDesk(kinds: { db: DbKind; store: StoreKind }, env: Record<string, string> = {}): Promise<SupportDesk> {
  const fake = await FakeSlack.start({
    users: [{ id: SAM, name: 'sam', realName: 'Sam Support' }, { id: KIM, name: 'kim', realName: 'Kim Support' }, { id: ADA, name: 'ada', realName: 'Ada Admin' }, { id: EVE, name: 'eve', realName: 'Eve Outsider' }],
    channels: [{ id: CHANNEL, name: 'support' }],
  });
  const app = await testApp(kinds, { SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SLACK_SUPPORT_CHANNEL: CHANNEL, SLACK_SUPPORT_USERS: `${SAM},${KIM}`, SLACK_ADMIN_USERS: ADA, ...env });
  const http = new HttpServer(app.log);
  const slack = await startSlack(slackPorts(app), http, { poll: false });
  const port = await http.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/slack/events`;
  const signed = new SignedSlack({ url, signingSecret: SIGNING_SECRET, responseUrl: () => fake.responseUrl() });
  const desk: SupportDesk = {
    fake,
    app,
    slack,
    signed,
    http,
    url,
    async settle() {
      for (let i = 0; i < 5; i++) if (!(await slack.pass()).posted) break;
      await dispatchNotices(app);
      await app.engine.delivery.sweep();
    },
    posts: () => fake.messages(CHANNEL).map((m) => ({ ts: m.ts, ...(m.threadTs ? { threadTs: m.threadTs } : {}), text: m.text ?? '', blocks: m.blocks ?? [] })),
    async reply(threadTs, text, o = {}) {
      const res = await signed.event(messageEvent({ text, threadTs, user: o.user ?? SAM, channel: CHANNEL }), o.eventId ? { eventId: o.eventId } : {}, o.retry ? { retry: { num: o.retry } } : {});
      await slack.idle();
      return res.status;
    },
    async close() {
      await slack.stop();
      await http.close();
      await app.close();
      await fake.close();
    },
  };
  return desk;
}

/** Every Block Kit payload the fake recorded stays inside Slack's limits (call at the end of each test). */
export function expectBlocksWithinLimits(fake: FakeSlack): void {
  const over = fake.calls.flatMap((c) => {
    if (!['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'views.open', 'views.push', 'views.update', 'response_url'].includes(c.method)) return [];
    const v = checkBlockLimits(c.args);
    return v.length ? [{ method: c.method, violations: v }] : [];
  });
  expect(over).toEqual([]);
}
