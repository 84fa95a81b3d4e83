import { webApi, type App } from '@slack/bolt';
import { startLoop, type Loop } from '../../lib/loop.js';
import { boltLogger, createSlackApp } from './app.js';
import { actingPeople, slackAccess } from './authorize.js';
import { registerTicketButtons } from './buttons.js';
import { registerDesk } from './desk/index.js';
import { registerThreadReplies } from './events.js';
import { SlackPoster, type PosterPass } from './poster.js';
import type { SlackPorts } from './ports.js';
import type { RouteTarget } from './receiver.js';

/** The Slack app could not start (the token is refused, the Web API unreachable). One line. */
export class SlackStartError extends Error {
  readonly code = 'SLACK.START';
}

/** Options of {@link startSlack} beyond the configuration (the test kit runs passes itself). */
export interface SlackStartOptions {
  /** Post the outbox in a background loop (default true). */
  poll?: boolean;
  pollMs?: number;
}

/** A running Slack support app. */
export interface SlackChannel {
  app: App;
  /** One outbox pass now (alerts, reminders, posts). */
  pass(): Promise<PosterPass>;
  /** Resolves when no listener is running (the test kit waits on it after each request). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Counts listener runs, so a caller can wait until Bolt has finished with what it was sent. */
class Running {
  private n = 0;
  private waiters: (() => void)[] = [];
  enter(): void {
    this.n++;
  }
  leave(): void {
    this.n--;
    if (this.n === 0) for (const w of this.waiters.splice(0)) w();
  }
  async idle(): Promise<void> {
    // A request just answered may not have reached the middleware yet.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    if (this.n > 0) await new Promise<void>((r) => this.waiters.push(r));
  }
}

/**
 * Starts the support team's Slack app: checks the token (`auth.test`, one clear line if refused),
 * builds Bolt on our HTTP server (`POST /slack/events`) or over Socket Mode, registers the thread
 * relay, the ticket buttons and the desk, and posts the Slack outbox in a loop. Warns at start
 * when fewer than two people may act (nothing can be approved then).
 */
export async function startSlack(p: SlackPorts, http: RouteTarget | undefined, o: SlackStartOptions = {}): Promise<SlackChannel> {
  const c = p.config;
  const log = p.log.child({ part: 'slack' });
  const access = slackAccess(c);
  const people = actingPeople(access);
  if (people.length < 2) log.warn({ supportUsers: people.length }, `slack: SLACK_SUPPORT_USERS and SLACK_ADMIN_USERS name ${people.length === 0 ? 'nobody, so nobody can act on the desk' : 'one person only'}; refunds and reversals need a second person, so none can be approved`);
  // The poster's client: the outbox retries durably, so this one does not retry (rate limits included).
  const client = new webApi.WebClient(c.SLACK_BOT_TOKEN!, { ...(c.SLACK_API_URL ? { slackApiUrl: c.SLACK_API_URL } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: boltLogger(log), timeout: 15_000 });
  const bot = await whoAmI(client, c.SLACK_API_URL);
  const app = createSlackApp({
    token: c.SLACK_BOT_TOKEN!,
    ...(c.SLACK_SIGNING_SECRET ? { signingSecret: c.SLACK_SIGNING_SECRET } : {}),
    ...(c.SLACK_APP_TOKEN ? { appToken: c.SLACK_APP_TOKEN } : {}),
    ...(c.SLACK_API_URL ? { apiUrl: c.SLACK_API_URL } : {}),
    ...(http ? { http } : {}),
    log,
    bot,
    retryConfig: { retries: 3, factor: 2, minTimeout: 300, maxTimeout: 3_000 },
  });
  const running = new Running();
  app.use(async ({ next }) => {
    running.enter();
    try {
      await next();
    } finally {
      running.leave();
    }
  });
  // Logged, then handed back to the receiver: an event whose relay failed is answered 500 there, so
  // Slack delivers it again.
  app.error(async (err) => {
    const code = (err as { code?: string }).code;
    if (code === 'SLACK.EVENT_IN_FLIGHT') log.warn({ err: err.message, code }, 'slack: redelivery of an event still being handled; refused, so that Slack tries again later');
    else log.error({ err: err.message, code }, 'slack: listener failed');
    throw err;
  });
  const poster = new SlackPoster({ client, outbox: p.outbox, channel: c.SLACK_SUPPORT_CHANNEL!, log, now: () => p.now() });
  let loop: Loop | undefined;
  registerThreadReplies(app, { ports: p, access, log });
  registerTicketButtons(app, { ports: p, access, log, kick: () => loop?.kick() });
  registerDesk(app, p.desk);
  await app.start();
  if (o.poll !== false) loop = startLoop({ name: 'slack outbox', pass: () => poster.pass(), intervalMs: o.pollMs ?? 1000, firstMs: 200, log });
  log.info({ mode: c.SLACK_APP_TOKEN ? 'socket' : 'http', channel: c.SLACK_SUPPORT_CHANNEL, people: people.length }, 'slack started');
  return {
    app,
    pass: () => poster.pass(),
    idle: () => running.idle(),
    async stop() {
      await loop?.stop();
      await app.stop();
    },
  };
}

/** `auth.test`: who the bot is, or a one-line error naming the variable to fix. */
async function whoAmI(client: InstanceType<typeof webApi.WebClient>, apiUrl: string | undefined): Promise<{ botId: string; botUserId: string }> {
  try {
    const r = await client.auth.test();
    return { botId: r.bot_id ?? '', botUserId: r.user_id ?? '' };
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string }; message?: string };
    if (e.code === webApi.ErrorCode.PlatformError) throw new SlackStartError(`SLACK_BOT_TOKEN: Slack refused the token (${e.data?.error ?? 'error'}); copy the Bot User OAuth Token (xoxb-…) again`);
    throw new SlackStartError(`SLACK_API_URL: cannot reach the Slack Web API at ${apiUrl ?? 'https://slack.com/api/'} (${(e.message ?? String(err)).split('\n')[0]})`);
  }
}
