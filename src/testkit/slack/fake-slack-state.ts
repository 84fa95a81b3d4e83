import { freshId, freshTs } from './payloads.js';

/**
 * What the fake Slack keeps between calls — messages by channel and thread, ephemerals, modals,
 * uploaded files and their shares, users and channels — and the Web API methods that read and
 * change it. A method answers with its result (the fake adds `ok: true`) or throws
 * {@link SlackApiError} with Slack's error string.
 */

type Obj = Record<string, unknown>;

/** A Web API error, answered as `{ ok: false, error }`. */
export class SlackApiError extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

/** A message the app posted, as the channel shows it now. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text?: string;
  blocks?: unknown[];
  /** Earlier versions, oldest first (one per `chat.update`). */
  history: { text?: string; blocks?: unknown[] }[];
  deleted: boolean;
}

/** An ephemeral message: only `user` sees it, and Slack keeps no copy to update. */
export interface FakeSlackEphemeral {
  channel: string;
  user: string;
  threadTs?: string;
  text?: string;
  blocks?: unknown[];
  messageTs: string;
}

/** A modal opened, pushed or updated by the app. */
export interface FakeSlackView {
  id: string;
  via: 'views.open' | 'views.push';
  triggerId: string;
  /** The view as last set (`views.update` replaces it). */
  view: Obj;
  updates: number;
}

/** A file uploaded through `files.getUploadURLExternal` and its upload URL. */
export interface FakeSlackFile {
  id: string;
  filename: string;
  length: number;
  data?: Buffer;
}

/** A file shared by `files.completeUploadExternal`. */
export interface FakeSlackShare {
  fileId: string;
  filename: string;
  title?: string;
  channel?: string;
  threadTs?: string;
  initialComment?: string;
  content: Buffer;
}

/** A workspace member `users.info` knows. */
export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  tz?: string;
  isBot?: boolean;
}

/** A channel `conversations.info` knows. */
export interface FakeSlackChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** Whether the app's bot is in it; posting into a known channel it is not in is `not_in_channel`. */
  isMember?: boolean;
}

/** Who the app is, as `auth.test` says. */
export interface FakeSlackIdentity {
  teamId: string;
  team: string;
  botUserId: string;
  botId: string;
}

/** One method's implementation; `url` is the fake's root (for upload URLs). */
export type FakeMethod = (args: Obj, url: string) => Obj;

function str(args: Obj, key: string, required = true): string | undefined {
  const v = args[key];
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  if (required) throw new SlackApiError('invalid_arguments');
  return undefined;
}

function content(args: Obj): { text?: string; blocks?: unknown[] } {
  const text = str(args, 'text', false);
  const blocks = Array.isArray(args.blocks) ? (args.blocks as unknown[]) : undefined;
  if (text === undefined && blocks === undefined && args.attachments === undefined) throw new SlackApiError('no_text');
  return { ...(text !== undefined ? { text } : {}), ...(blocks ? { blocks } : {}) };
}

/** The fake's memory and its Web API methods. */
export class FakeSlackState {
  readonly messages: FakeSlackMessage[] = [];
  readonly ephemerals: FakeSlackEphemeral[] = [];
  readonly views: FakeSlackView[] = [];
  readonly files = new Map<string, FakeSlackFile>();
  readonly shares: FakeSlackShare[] = [];
  readonly users = new Map<string, FakeSlackUser>();
  readonly channels = new Map<string, FakeSlackChannel>();

  constructor(readonly identity: FakeSlackIdentity) {}

  /** The methods by name. */
  readonly methods: Record<string, FakeMethod> = {
    'auth.test': () => ({
      url: 'https://omnipay.slack.com/',
      team: this.identity.team,
      user: 'omnipay',
      team_id: this.identity.teamId,
      user_id: this.identity.botUserId,
      bot_id: this.identity.botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (a) => {
      const channel = this.postable(str(a, 'channel')!);
      const m: FakeSlackMessage = { channel, ts: freshTs(), ...content(a), history: [], deleted: false };
      const threadTs = str(a, 'thread_ts', false);
      if (threadTs !== undefined) m.threadTs = threadTs;
      this.messages.push(m);
      return { channel, ts: m.ts, message: this.shown(m) };
    },
    'chat.postEphemeral': (a) => {
      const channel = this.postable(str(a, 'channel')!);
      const e: FakeSlackEphemeral = { channel, user: str(a, 'user')!, ...content(a), messageTs: freshTs() };
      const threadTs = str(a, 'thread_ts', false);
      if (threadTs !== undefined) e.threadTs = threadTs;
      this.ephemerals.push(e);
      return { message_ts: e.messageTs };
    },
    'chat.update': (a) => {
      const m = this.find(str(a, 'channel')!, str(a, 'ts')!);
      m.history.push({ ...(m.text !== undefined ? { text: m.text } : {}), ...(m.blocks ? { blocks: m.blocks } : {}) });
      const next = content(a);
      if (next.text !== undefined) m.text = next.text;
      if (next.blocks !== undefined) m.blocks = next.blocks;
      return { channel: m.channel, ts: m.ts, text: m.text ?? '', message: this.shown(m) };
    },
    'chat.delete': (a) => {
      const m = this.find(str(a, 'channel')!, str(a, 'ts')!);
      m.deleted = true;
      return { channel: m.channel, ts: m.ts };
    },
    'views.open': (a) => this.openView(a, 'views.open'),
    'views.push': (a) => this.openView(a, 'views.push'),
    'views.update': (a) => {
      const id = str(a, 'view_id', false);
      const external = str(a, 'external_id', false);
      const v = this.views.find((x) => (id !== undefined && x.id === id) || (external !== undefined && x.view.external_id === external));
      if (!v) throw new SlackApiError('not_found');
      v.view = this.viewArg(a);
      v.updates += 1;
      return { view: this.shownView(v) };
    },
    'users.info': (a) => {
      const u = this.users.get(str(a, 'user')!);
      if (!u) throw new SlackApiError('user_not_found');
      const profile = { real_name: u.realName ?? u.name, display_name: u.name, ...(u.email ? { email: u.email } : {}) };
      return { user: { id: u.id, team_id: this.identity.teamId, name: u.name, real_name: profile.real_name, tz: u.tz ?? 'Asia/Tokyo', is_bot: u.isBot ?? false, deleted: false, profile } };
    },
    'conversations.info': (a) => {
      const c = this.channels.get(str(a, 'channel')!);
      if (!c) throw new SlackApiError('channel_not_found');
      return { channel: { id: c.id, name: c.name, is_channel: !c.isPrivate, is_group: false, is_im: false, is_private: c.isPrivate ?? false, is_member: c.isMember ?? true, is_archived: false } };
    },
    'files.getUploadURLExternal': (a, url) => {
      const filename = str(a, 'filename')!;
      const length = Number(str(a, 'length')!);
      if (!Number.isInteger(length) || length < 0) throw new SlackApiError('invalid_arguments');
      const id = freshId('F');
      this.files.set(id, { id, filename, length });
      return { upload_url: `${url}upload/${id}`, file_id: id };
    },
    'files.completeUploadExternal': (a) => {
      const files = Array.isArray(a.files) ? (a.files as { id?: unknown; title?: unknown }[]) : undefined;
      if (!files || files.length === 0) throw new SlackApiError('invalid_arguments');
      const uploaded = files.map((f) => {
        const file = typeof f.id === 'string' ? this.files.get(f.id) : undefined;
        if (!file?.data) throw new SlackApiError('file_not_found');
        return { file, title: typeof f.title === 'string' ? f.title : undefined };
      });
      const channel = str(a, 'channel_id', false);
      const threadTs = str(a, 'thread_ts', false);
      const initialComment = str(a, 'initial_comment', false);
      if (channel !== undefined) this.postable(channel);
      for (const { file, title } of uploaded) {
        const share: FakeSlackShare = { fileId: file.id, filename: file.filename, content: file.data! };
        if (title !== undefined) share.title = title;
        if (channel !== undefined) share.channel = channel;
        if (threadTs !== undefined) share.threadTs = threadTs;
        if (initialComment !== undefined) share.initialComment = initialComment;
        this.shares.push(share);
      }
      return { files: uploaded.map(({ file, title }) => ({ id: file.id, name: file.filename, title: title ?? file.filename, size: file.data!.length })) };
    },
  };

  /** Records the bytes posted to a file's upload URL. */
  upload(fileId: string, data: Buffer): void {
    const file = this.files.get(fileId);
    if (!file) throw new SlackApiError('file_not_found');
    file.data = data;
  }

  /** A channel the app may post to; a known channel without the bot is `not_in_channel`. */
  private postable(channel: string): string {
    const known = this.channels.get(channel);
    if (known && known.isMember === false) throw new SlackApiError('not_in_channel');
    return channel;
  }

  private find(channel: string, ts: string): FakeSlackMessage {
    const m = this.messages.find((x) => x.channel === channel && x.ts === ts && !x.deleted);
    if (!m) throw new SlackApiError('message_not_found');
    return m;
  }

  private shown(m: FakeSlackMessage): Obj {
    return { type: 'message', user: this.identity.botUserId, bot_id: this.identity.botId, ts: m.ts, text: m.text ?? '', ...(m.blocks ? { blocks: m.blocks } : {}), ...(m.threadTs ? { thread_ts: m.threadTs } : {}) };
  }

  private viewArg(a: Obj): Obj {
    const view = a.view;
    if (typeof view !== 'object' || view === null || Array.isArray(view)) throw new SlackApiError('invalid_arguments');
    return view as Obj;
  }

  private openView(a: Obj, via: FakeSlackView['via']): Obj {
    const triggerId = str(a, 'trigger_id', false);
    if (triggerId === undefined) throw new SlackApiError('invalid_trigger_id');
    const v: FakeSlackView = { id: freshId('V'), via, triggerId, view: this.viewArg(a), updates: 0 };
    this.views.push(v);
    return { view: this.shownView(v) };
  }

  private shownView(v: FakeSlackView): Obj {
    return { ...v.view, id: v.id, team_id: this.identity.teamId, state: { values: {} }, hash: `${v.id}-${v.updates}`, bot_id: this.identity.botId };
  }
}
