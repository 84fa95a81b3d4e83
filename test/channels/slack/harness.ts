import type { App } from '@slack/bolt';
import pino, { type Logger } from 'pino';
import { createSlackApp } from '../../../src/channels/slack/app.js';
import { HttpServer } from '../../../src/infra/http/server.js';
import { FakeSlack, type FakeSlackOptions } from '../../../src/testkit/slack/fake-slack-api.js';
import { SignedSlack } from '../../../src/testkit/slack/signed.js';

/** The signing secret the desks under test are configured with. */
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

/** A log that keeps every line, to check what was logged. */
export function captureLog(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

/** A Bolt app behind our receiver on a real HttpServer, its Web API at a fresh fake. */
export interface Desk {
  fake: FakeSlack;
  app: App;
  slack: SignedSlack;
  /** The request URL, `http://127.0.0.1:PORT/slack/events`. */
  url: string;
  lines: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Starts a desk over HTTP: fake first, because Bolt calls `auth.test` as soon as the App is built. */
export async function startDesk(o: { ackTimeoutMs?: number; fake?: FakeSlackOptions } = {}): Promise<Desk> {
  const fake = await FakeSlack.start(o.fake);
  const { log, lines } = captureLog();
  const http = new HttpServer(log);
  const app = createSlackApp({ token: fake.botToken, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, http, log, ...(o.ackTimeoutMs ? { ackTimeoutMs: o.ackTimeoutMs } : {}) });
  await app.start();
  const port = await http.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/slack/events`;
  const slack = new SignedSlack({ url, signingSecret: SIGNING_SECRET, responseUrl: () => fake.responseUrl() });
  // Let the constructor's auth.test land, so tests can count the calls a request causes.
  await fake.waitForCall('auth.test');
  return {
    fake,
    app,
    slack,
    url,
    lines,
    async close() {
      await app.stop();
      await http.close();
      await fake.close();
    },
  };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
