import { readBlocks } from './blocks.js';
import type { FakeSlack } from './fake-slack-api.js';
import type { SlackPlace } from '../format.js';

/** One Slack message (or modal) as an agent sees it, in the order it appeared. */
export interface SlackItem {
  seq: number;
  place: Exclude<SlackPlace, 'any'>;
  /** Whose it is (ephemeral, response, modal); undefined: everyone in the channel sees it. */
  agent?: string;
  /** What readBlocks reads: `{ text, blocks }` or a view. */
  payload: Record<string, unknown>;
  channel?: string;
  ts?: string;
  threadTs?: string;
  viewId?: string;
  read: boolean;
}

/** A modal the agent has open: its id and the view as last set. */
export interface OpenModal {
  id: string;
  view: Record<string, unknown>;
}

/** Everything an item says, for matching: Block Kit texts, else the fallback text (and a modal's title and input labels). */
export function itemText(i: SlackItem): string {
  const r = readBlocks(i.payload);
  const texts = [...(r.title ? [r.title] : []), ...r.texts, ...r.inputs.map((x) => x.label)];
  return (texts.length ? texts : [String(i.payload.text ?? '')]).join('\n');
}

/** The labels of an item's buttons. */
export function itemButtons(i: SlackItem): string[] {
  return readBlocks(i.payload).buttons.map((b) => b.text);
}

/**
 * What each agent of a script has seen in Slack, read from the fake's recorded calls as they come
 * (messages and updates in the channel and its threads; ephemerals, `response_url` posts and
 * modals of the agent whose trigger or response URL caused them) plus the answers the app gave
 * the agent's own requests (command acks, modal submissions), which {@link add} records.
 */
export class SlackSeen {
  readonly items: SlackItem[] = [];
  /** Open modals per agent, the top one last. */
  readonly modals = new Map<string, OpenModal[]>();
  /** The field errors of each agent's last modal submission (block id → message). */
  readonly errors = new Map<string, Record<string, string>>();
  private readonly triggers = new Map<string, string>();
  private readonly responseUrls = new Map<string, string>();
  private readonly userAgents = new Map<string, string>();
  private calls = 0;
  private messages = 0;
  private ephemerals = 0;
  private views = 0;
  private responses = 0;
  private shares = 0;
  private seq = 0;

  constructor(private readonly fake: FakeSlack, agents: Record<string, string>) {
    for (const [name, id] of Object.entries(agents)) this.userAgents.set(id, name);
  }

  /** A trigger id made for this agent's request (a modal it opens is theirs). */
  trigger(agent: string, id: string): string {
    this.triggers.set(id, agent);
    return id;
  }

  /** A response URL made for this agent's request. */
  responseUrl(agent: string, url: string): string {
    this.responseUrls.set(url, agent);
    return url;
  }

  /** Records something only this agent sees (an ack's message). */
  add(item: Omit<SlackItem, 'seq' | 'read'>): SlackItem {
    const i = { ...item, seq: ++this.seq, read: false };
    this.items.push(i);
    return i;
  }

  /** The agent's modal stack. */
  stack(agent: string): OpenModal[] {
    let s = this.modals.get(agent);
    if (!s) this.modals.set(agent, (s = []));
    return s;
  }

  /** Reads the fake's calls made since the last sync. */
  sync(): void {
    const st = this.fake.state;
    for (; this.calls < this.fake.calls.length; this.calls++) {
      const c = this.fake.calls[this.calls]!;
      if (c.status !== 200 || c.error !== undefined) continue;
      if (c.method === 'chat.postMessage') {
        const m = st.messages[this.messages++]!;
        this.add({ place: m.threadTs ? 'thread' : 'channel', payload: { text: m.text, blocks: m.blocks }, channel: m.channel, ts: m.ts, ...(m.threadTs ? { threadTs: m.threadTs } : {}) });
      } else if (c.method === 'chat.update') {
        const m = st.messages.find((x) => x.channel === c.args.channel && x.ts === c.args.ts);
        if (m) this.add({ place: m.threadTs ? 'thread' : 'channel', payload: { text: m.text, blocks: m.blocks }, channel: m.channel, ts: m.ts, ...(m.threadTs ? { threadTs: m.threadTs } : {}) });
      } else if (c.method === 'chat.postEphemeral') {
        const e = st.ephemerals[this.ephemerals++]!;
        this.add({ place: 'ephemeral', agent: this.userAgents.get(e.user) ?? e.user, payload: { text: e.text, blocks: e.blocks }, channel: e.channel, ts: e.messageTs, ...(e.threadTs ? { threadTs: e.threadTs } : {}) });
      } else if (c.method === 'views.open' || c.method === 'views.push') {
        const v = st.views[this.views++]!;
        const agent = this.triggers.get(v.triggerId) ?? '?';
        this.stack(agent).push({ id: v.id, view: v.view });
        this.add({ place: 'modal', agent, payload: v.view, viewId: v.id });
      } else if (c.method === 'views.update') {
        const v = st.views.find((x) => x.id === c.args.view_id || (c.args.external_id !== undefined && x.view.external_id === c.args.external_id));
        if (!v) continue;
        for (const [agent, s] of this.modals) {
          const open = s.find((m) => m.id === v.id);
          if (!open) continue;
          open.view = v.view;
          this.add({ place: 'modal', agent, payload: v.view, viewId: v.id });
        }
      } else if (c.method === 'files.completeUploadExternal') {
        // A shared file reads as its name, title and comment, then its content (a CSV is text).
        for (; this.shares < st.shares.length; this.shares++) {
          const f = st.shares[this.shares]!;
          const text = [f.filename, f.title, f.initialComment, f.content.toString('utf8')].filter((x) => x !== undefined && x !== '').join('\n');
          this.add({ place: 'file', payload: { text }, ...(f.channel ? { channel: f.channel } : {}), ...(f.threadTs ? { threadTs: f.threadTs } : {}) });
        }
      } else if (c.method === 'response_url') {
        const r = this.fake.responses[this.responses++]!;
        this.add({ place: 'response', agent: this.responseUrls.get(r.url) ?? '?', payload: r.body });
      }
    }
  }

  /** What an agent can see now, oldest first (`place` narrows it). */
  visible(agent: string, place: SlackPlace = 'any'): SlackItem[] {
    this.sync();
    return this.items.filter((i) => (i.agent === undefined || i.agent === agent) && (place === 'any' || i.place === place));
  }

  /** The latest version of a channel message (an update replaces what a press sees). */
  current(i: SlackItem): SlackItem {
    if (!i.ts || i.place === 'ephemeral' || i.place === 'response') return i;
    const later = this.items.filter((x) => x.ts === i.ts && x.channel === i.channel && (x.place === 'channel' || x.place === 'thread'));
    return later.at(-1) ?? i;
  }
}
