import { webApi } from '@slack/bolt';
import { failpoint } from '../../lib/failpoints.js';
import type { Logger } from '../../lib/logger.js';
import { render } from './messages.js';
import type { OutboxPost, SlackPostQueue } from './ports.js';

/** Delays before the 2nd, 3rd … try of a post; after the last one it is given up (failed). */
export const POST_BACKOFF_MS = [2_000, 10_000, 30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000];

/**
 * Slack errors that no retry can fix: the channel is wrong or the bot is not in it, the token or
 * its scopes are wrong, the message itself is refused. Anything else (5xx, network, internal
 * errors) is tried again with backoff.
 */
const PERMANENT = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired',
  'missing_scope', 'no_permission', 'restricted_action', 'invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'no_text', 'invalid_arguments',
  'message_not_found', 'cant_update_message', 'edit_window_closed', 'thread_not_found', 'team_access_not_granted', 'ekm_access_denied',
]);

/** What one pass did. */
export interface PosterPass {
  posted: number;
  retrying: number;
  failed: number;
  /** Slack asked to wait (seconds) and the pass stopped there. */
  rateLimited?: number;
}

/** Options of {@link SlackPoster}. */
export interface PosterOptions {
  client: InstanceType<typeof webApi.WebClient>;
  outbox: SlackPostQueue;
  /** `SLACK_SUPPORT_CHANNEL`: where posts without a channel of their own go. */
  channel: string;
  log: Logger;
  now(): Date;
}

/**
 * Posts the Slack outbox: each due row is claimed, rendered (messages.ts) and posted — a message,
 * a reply in its ticket's thread, or an update of a ticket's root — and its `ts` recorded. Slack's
 * `ratelimited` stops the pass until Retry-After (not counted as an attempt); permanent errors
 * (`channel_not_found`, `not_in_channel` …) give the row up at once, logged with the reason;
 * others are retried with backoff. A thread whose post is waiting holds its later posts back.
 */
export class SlackPoster {
  constructor(private readonly o: PosterOptions) {}

  /** Alerts and reminders into the outbox, then everything due, until nothing more can go now. */
  async pass(): Promise<PosterPass> {
    const r: PosterPass = { posted: 0, retrying: 0, failed: 0 };
    await this.o.outbox.feedAlerts();
    await this.o.outbox.scheduleReminders();
    // A ticket's root opens its thread for the posts queued behind it, so look again after each round.
    for (let round = 0; round < 10; round++) {
      const due = await this.o.outbox.due();
      const held = new Set<string>();
      let progress = false;
      for (const post of due) {
        if (post.ticketId && held.has(post.ticketId)) continue;
        if (!(await this.o.outbox.claim(post))) continue;
        const outcome = await this.post(post);
        if (outcome === 'posted') {
          r.posted++;
          progress = true;
          continue;
        }
        if (post.ticketId) held.add(post.ticketId);
        if (typeof outcome === 'number') {
          r.rateLimited = outcome;
          return r;
        }
        if (outcome === 'failed') r.failed++;
        else r.retrying++;
      }
      if (!progress) break;
    }
    return r;
  }

  /** One post: `posted`, `retrying`, `failed`, or the seconds Slack asked to wait. */
  private async post(post: OutboxPost): Promise<'posted' | 'retrying' | 'failed' | number> {
    const log = this.o.log;
    const channel = post.channel ?? this.o.channel;
    let where: { channel: string; ts: string };
    try {
      failpoint('slack.post.before');
      const m = render(post.kind, post.data);
      if (post.updateTs) {
        await this.o.client.chat.update({ channel, ts: post.updateTs, text: m.text, blocks: m.blocks as never });
        where = { channel, ts: post.updateTs };
      } else {
        const res = await this.o.client.chat.postMessage({ channel, text: m.text, blocks: m.blocks as never, ...(post.threadTs ? { thread_ts: post.threadTs } : {}), unfurl_links: false, unfurl_media: false });
        where = { channel: res.channel ?? channel, ts: res.ts! };
      }
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
      if (e.code === webApi.ErrorCode.RateLimitedError) {
        const wait = Math.max(1, e.retryAfter ?? 1);
        log.warn({ post: post.id, kind: post.kind, retryAfterSeconds: wait }, 'slack: rate limited; posting waits');
        await this.o.outbox.retry(post.id, { at: new Date(this.o.now().getTime() + wait * 1000), error: 'ratelimited', countAttempt: false });
        return wait;
      }
      const error = e.code === webApi.ErrorCode.PlatformError ? (e.data?.error ?? 'unknown_error') : e.code === webApi.ErrorCode.HTTPError ? `http ${e.statusCode}` : (e.message ?? String(err)).slice(0, 200);
      const attempts = post.attempts + 1;
      if (PERMANENT.has(error) || attempts > POST_BACKOFF_MS.length) {
        log.error({ post: post.id, kind: post.kind, channel, attempts, err: error }, PERMANENT.has(error) ? `slack: post refused (${error}); given up — check SLACK_SUPPORT_CHANNEL and that the app is in the channel` : 'slack: post failed too often; given up');
        await this.o.outbox.failed(post.id, error);
        return 'failed';
      }
      const delay = POST_BACKOFF_MS[attempts - 1]!;
      log.warn({ post: post.id, kind: post.kind, attempts, retryInMs: delay, err: error }, 'slack: post failed; will retry');
      await this.o.outbox.retry(post.id, { at: new Date(this.o.now().getTime() + delay), error, countAttempt: true });
      return 'retrying';
    }
    // Outside the try: Slack has the post, so a database error here must not make it post again soon.
    failpoint('slack.post.after');
    await this.o.outbox.posted(post, where);
    return 'posted';
  }
}
