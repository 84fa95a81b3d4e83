import type { App as BoltApp } from '@slack/bolt';
import { expect } from 'vitest';
import { deskPorts } from '../../../../src/app/desk-ports.js';
import { createSlackApp } from '../../../../src/channels/slack/app.js';
import { registerDesk } from '../../../../src/channels/slack/desk/index.js';
import { HttpServer } from '../../../../src/infra/http/server.js';
import { blocksOf, checkBlockLimits, findButton, readBlocks, type BlockButton, type BlockLimitViolation } from '../../../../src/testkit/slack/blocks.js';
import { FakeSlack, type FakeSlackView } from '../../../../src/testkit/slack/fake-slack-api.js';
import { blockActionPayload, freshId, freshTs, type InputValue } from '../../../../src/testkit/slack/payloads.js';
import { SignedSlack } from '../../../../src/testkit/slack/signed.js';
import { testApp, type TestApp } from '../../../support/app.js';
import type { DbKind, StoreKind } from '../../../support/db.js';

/** The signing secret of the desks under test. */
export const SIGNING_SECRET = 'desk-signing-secret-0123456789abcdef';
/** The support channel of the desks under test. */
export const CHANNEL = 'C0SUPPORT';

/** Slack users of the desks under test: three support users, an admin, and someone who is neither. */
export const USERS = {
  sam: { id: 'U0SAM', name: 'sam.support' },
  kim: { id: 'U0KIM', name: 'kim.support' },
  lee: { id: 'U0LEE', name: 'lee.support' },
  ada: { id: 'U0ADA', name: 'ada.admin' },
  eve: { id: 'U0EVE', name: 'eve.stranger' },
} as const;
/** One of {@link USERS}. */
export type DeskUser = (typeof USERS)[keyof typeof USERS];

/** What the desk answered one request: the HTTP ack and, for commands and presses, its response URL. */
export interface Reply {
  status: number;
  /** The ack's body as JSON, or undefined when the ack was empty. */
  ack: unknown;
  responseUrl: string;
}

/**
 * The desk under test: the assistant's real services on a test database, Bolt's real App behind
 * our receiver on a real HttpServer, `registerDesk(bolt, deskPorts(app))`, and a fake Slack Web API
 * recording every call. Requests are correctly signed HTTP requests to the running server.
 */
export class DeskHarness {
  /** Every ack body the desk answered with (they are Block Kit too). */
  readonly acks: unknown[] = [];

  private constructor(readonly app: TestApp, readonly fake: FakeSlack, readonly bolt: BoltApp, readonly slack: SignedSlack, private readonly http: HttpServer) {}

  /** Starts a desk; `support` and `admins` are SLACK_SUPPORT_USERS and SLACK_ADMIN_USERS. */
  static async start(setup: { db: DbKind; store: StoreKind }, o: { support?: DeskUser[]; admins?: DeskUser[]; env?: Record<string, string> } = {}): Promise<DeskHarness> {
    const support = o.support ?? [USERS.sam, USERS.kim, USERS.lee];
    const admins = o.admins ?? [USERS.ada];
    const app = await testApp(setup, {
      SLACK_SUPPORT_USERS: support.map((u) => u.id).join(','),
      SLACK_ADMIN_USERS: admins.map((u) => u.id).join(','),
      SLACK_SUPPORT_CHANNEL: CHANNEL,
      ...o.env,
    });
    const fake = await FakeSlack.start({ users: Object.values(USERS).map((u) => ({ id: u.id, name: u.name })), channels: [{ id: CHANNEL, name: 'support' }] });
    const http = new HttpServer(app.log);
    const bolt = createSlackApp({ token: fake.botToken, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, http, log: app.log });
    registerDesk(bolt, deskPorts(app));
    await bolt.start();
    const port = await http.listen(0, '127.0.0.1');
    const slack = new SignedSlack({ url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
    await fake.waitForCall('auth.test');
    return new DeskHarness(app, fake, bolt, slack, http);
  }

  /** Sends `/omnipay <text>` as `user` from the support channel. */
  async command(text: string, user: DeskUser = USERS.sam, o: { channelId?: string } = {}): Promise<Reply> {
    const responseUrl = this.fake.responseUrl();
    const res = await this.slack.command({ text, userId: user.id, userName: user.name, responseUrl, channelId: o.channelId ?? CHANNEL });
    return this.reply(res, responseUrl);
  }

  /** Presses a button as `user`: on an ephemeral look-up answer by default, or on a channel message (`message`). */
  async press(button: BlockButton, user: DeskUser = USERS.sam, o: { message?: { ts: string; blocks?: unknown[] }; payload?: (p: Record<string, unknown>) => void } = {}): Promise<Reply> {
    const responseUrl = this.fake.responseUrl();
    const payload = this.pressPayload(button, user, responseUrl, o.message);
    o.payload?.(payload);
    return this.reply(await this.slack.interaction(payload), responseUrl);
  }

  /** The body of one button press, to send (and send again) as it is. */
  pressPayload(button: BlockButton, user: DeskUser, responseUrl: string, message?: { ts: string; blocks?: unknown[] }): Record<string, unknown> {
    const payload = blockActionPayload({
      actionId: button.actionId!, value: button.value ?? '', ...(button.blockId ? { blockId: button.blockId } : {}), userId: user.id, userName: user.name, channelId: CHANNEL, responseUrl,
      message: message ?? { ts: freshTs(), text: '' },
    });
    // Look-up answers are ephemeral messages; a message posted in the channel is not.
    (payload.container as Record<string, unknown>).is_ephemeral = message === undefined;
    return payload;
  }

  /** Submits a modal the desk opened, as `user`, with `values` by block id (each input's action id is `value`). */
  async submit(view: FakeSlackView, values: Record<string, string>, user: DeskUser = USERS.sam): Promise<Reply> {
    const res = await this.slack.viewSubmission(this.submission(view, values, user));
    return this.reply(res, '');
  }

  /** The body of one modal submission, to send (and send again) as it is. */
  submission(view: FakeSlackView, values: Record<string, string>, user: DeskUser): Parameters<SignedSlack['viewSubmission']>[0] {
    const state: Record<string, Record<string, InputValue | string>> = {};
    for (const [block, v] of Object.entries(values)) state[block] = { value: v };
    return { callbackId: String(view.view.callback_id), privateMetadata: String(view.view.private_metadata ?? ''), viewId: view.id, values: state, userId: user.id, userName: user.name };
  }

  /** The `n`-th (0-based) POST to a response URL, waiting for it. */
  async response(url: string, n = 0): Promise<Record<string, unknown>> {
    await this.fake.waitFor(() => (this.fake.responses.filter((r) => r.url === url).length > n ? true : undefined), 10_000, `response ${n} to ${url}`);
    return this.fake.responses.filter((r) => r.url === url)[n]!.body;
  }

  /** The modal opened by the latest `views.open`, waiting for `count` of them. */
  async modal(count: number): Promise<FakeSlackView> {
    await this.fake.waitFor(() => (this.fake.state.views.length >= count ? true : undefined), 10_000, `${count} modal(s)`);
    return this.fake.state.views[count - 1]!;
  }

  /** The messages the desk posted in the support channel. */
  channelMessages() {
    return this.fake.messages(CHANNEL);
  }

  /** Every Block Kit payload the desk produced so far: acks, response URL posts, chat.* and views.* calls. */
  payloads(): unknown[] {
    const calls = this.fake.calls.filter((c) => c.status === 200 && !c.error && (c.args.blocks !== undefined || c.args.view !== undefined)).map((c) => c.args);
    return [...this.acks.filter((a) => blocksOf(a).length > 0 || (a as { view?: unknown })?.view !== undefined), ...calls, ...this.fake.responses.map((r) => r.body)];
  }

  /** Every breach of Slack's Block Kit limits in {@link payloads}, with the payload's index. */
  limitBreaches(): (BlockLimitViolation & { payload: number })[] {
    return this.payloads().flatMap((p, i) => {
      const view = (p as { view?: unknown; response_action?: string }).view;
      return checkBlockLimits(view !== undefined && typeof view === 'object' ? view : p).map((v) => ({ ...v, payload: i }));
    });
  }

  /** Asserts that nothing the desk sent breaks Slack's limits, and that it sent something. */
  expectWithinLimits(): void {
    expect(this.payloads().length).toBeGreaterThan(0);
    expect(this.limitBreaches()).toEqual([]);
  }

  async close(): Promise<void> {
    await this.bolt.stop();
    await this.http.close();
    await this.fake.close();
    await this.app.close();
  }

  private reply(res: { status: number; text: string; json(): unknown }, responseUrl: string): Reply {
    const ack = res.text ? res.json() : undefined;
    if (ack !== undefined) this.acks.push(ack);
    return { status: res.status, ack, responseUrl };
  }
}

/** The button with this label in a payload (throws naming the buttons there are). */
export function button(payload: unknown, label: string): BlockButton {
  return findButton(payload, label);
}

/** The labels of a payload's buttons. */
export function labels(payload: unknown): string[] {
  return readBlocks(payload).buttons.map((b) => b.text);
}

/** All texts of a payload joined. */
export function textOf(payload: unknown): string {
  return readBlocks(payload).texts.join('\n');
}

/** A fresh id for fixtures. */
export { freshId };
