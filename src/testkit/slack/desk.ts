import type { App as BoltApp } from '@slack/bolt';
import type { App } from '../../app/app.js';
import { slackPorts } from '../../app/ports.js';
import { startSlack, type SlackChannel } from '../../channels/slack/channel.js';
import { HttpServer } from '../../infra/http/server.js';
import type { AgentRole, Script } from '../format.js';
import { checkBlockLimits, type BlockLimitViolation } from './blocks.js';
import { FakeSlack } from './fake-slack-api.js';
import { itemButtons, itemText, SlackSeen } from './seen.js';
import { SignedSlack } from './signed.js';

/** The team a script has when it names none: two support people, an admin, and an outsider. */
export const DEFAULT_AGENTS: Readonly<Record<string, AgentRole>> = { sam: 'support', kim: 'support', ada: 'admin', eve: 'nobody' };
/** The support channel of script desks. */
export const SCRIPT_SUPPORT_CHANNEL = 'C0SUPPORT';
const SIGNING_SECRET = 'converse-slack-signing-secret-0123456789';
const LOGGED = ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'views.open', 'views.push', 'views.update', 'response_url'];

/** Does the script use Slack (a `slack:` or `slack-expect:` step, or `agents:`)? */
export function usesSlack(script: Script): boolean {
  return script.agents !== undefined || script.steps.some((s) => s.kind === 'slack' || s.kind === 'slack-expect');
}

/**
 * A script's Slack: a fake Web API (its workspace holds the script's agents and the support
 * channel), and the app's real Slack channel over its own HTTP server, attached to each app the
 * script opens. The outbox is posted when a step asks (no background loop), so scripts are
 * deterministic; agents act through correctly signed requests.
 */
export class ScriptSlack {
  fake!: FakeSlack;
  seen!: SlackSeen;
  signed!: SignedSlack;
  channel: SlackChannel | undefined;
  /** The agent acting now (`as:` on a Slack step switches it). */
  current: string;
  /** Slack user ids by agent name (`sam` → `U0SAM`). */
  readonly ids: Record<string, string>;
  private http: HttpServer | undefined;
  private logged = 0;

  constructor(readonly agents: Record<string, AgentRole>, private readonly transcript: string[], private readonly setup?: (bolt: BoltApp) => void) {
    this.ids = Object.fromEntries(Object.keys(agents).map((n) => [n, `U0${n.toUpperCase()}`]));
    this.current = Object.keys(agents)[0] ?? 'sam';
  }

  /** Starts the fake; returns the Slack configuration for the script's app. */
  async prepare(): Promise<Record<string, string>> {
    const users = Object.keys(this.agents).map((n) => ({ id: this.ids[n]!, name: n, realName: n[0]!.toUpperCase() + n.slice(1) }));
    this.fake = await FakeSlack.start({ users, channels: [{ id: SCRIPT_SUPPORT_CHANNEL, name: 'support' }] });
    this.seen = new SlackSeen(this.fake, this.ids);
    const who = (roles: AgentRole[]) => Object.entries(this.agents).filter(([, r]) => roles.includes(r)).map(([n]) => this.ids[n]!).join(',');
    return {
      SLACK_BOT_TOKEN: this.fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: this.fake.apiUrl,
      SLACK_SUPPORT_CHANNEL: SCRIPT_SUPPORT_CHANNEL,
      SLACK_SUPPORT_USERS: who(['support']),
      SLACK_ADMIN_USERS: who(['admin']),
    };
  }

  /** Starts the app's Slack channel on a fresh HTTP server (at the start and after each restart). */
  async attach(app: App): Promise<void> {
    this.http = new HttpServer(app.log.child({ part: 'http' }));
    this.channel = await startSlack(slackPorts(app), this.http, { poll: false });
    this.setup?.(this.channel.app);
    const port = await this.http.listen(0, '127.0.0.1');
    this.signed = new SignedSlack({ url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
  }

  /** Stops the channel and its HTTP server (before a restart and at the end). */
  async detach(): Promise<void> {
    await this.channel?.stop();
    await this.http?.close();
    this.channel = undefined;
    this.http = undefined;
  }

  /** Stops the fake. */
  async close(): Promise<void> {
    await this.fake?.close();
  }

  /** The Slack user id of an agent, or an error naming the agents there are. */
  idOf(agent: string): string {
    const id = this.ids[agent];
    if (!id) throw new Error(`no Slack agent "${agent}"; the script's agents are ${Object.keys(this.ids).join(', ')} (add one with agents:)`);
    return id;
  }

  /** Waits for the listeners, then posts the outbox until nothing more can go now. */
  async settle(): Promise<void> {
    if (!this.channel) throw new Error('Slack is not attached to the app');
    await this.channel.idle();
    for (let i = 0; i < 10; i++) if (!(await this.channel.pass()).posted) break;
    this.log();
  }

  /** Writes what appeared in Slack since the last call into the transcript. */
  log(): void {
    this.seen.sync();
    for (; this.logged < this.seen.items.length; this.logged++) {
      const i = this.seen.items[this.logged]!;
      const buttons = itemButtons(i);
      const text = itemText(i).replace(/\s*\n\s*/g, ' / ').slice(0, 300);
      this.transcript.push(`slack ${i.place}${i.agent ? ` (${i.agent} only)` : ''}: ${text}${buttons.length ? `  [${buttons.join(' | ')}]` : ''}`);
    }
  }

  /** Every Block Kit payload the app sent breaking one of Slack's limits. */
  limitViolations(): { method: string; violations: BlockLimitViolation[] }[] {
    return this.fake.calls.flatMap((c) => {
      if (!LOGGED.includes(c.method)) return [];
      const v = checkBlockLimits(c.args);
      return v.length ? [{ method: c.method, violations: v }] : [];
    });
  }
}
