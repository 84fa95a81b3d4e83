/**
 * Bodies of the requests Slack sends an app, shaped as Slack documents them. The same bodies go
 * over HTTP (signed.ts: form-encoded or JSON) and over Socket Mode (fake-socket-mode.ts: an
 * envelope's `payload`). Defaults describe one workspace, one support channel and one support user.
 */

/** Ids the builders use when a test does not say. */
export const DEFAULTS = {
  teamId: 'T0OMNIPAY',
  teamDomain: 'omnipay',
  apiAppId: 'A0OMNIPAY',
  channelId: 'C0SUPPORT',
  channelName: 'support',
  userId: 'U0SUPPORT1',
  userName: 'sam.support',
  /** The deprecated verification token Slack still sends in bodies (Bolt ignores it). */
  token: 'verification-token',
} as const;

let seq = 0;
/** A fresh id with a prefix, unique within the process. */
export function freshId(prefix: string): string {
  seq += 1;
  return `${prefix}${Date.now().toString(36).toUpperCase()}${seq}`;
}

/** A Slack-style message timestamp, increasing within the process. */
export function freshTs(): string {
  seq += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}`;
}

/** Who does something in a builder, and where. */
export interface Actor {
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
}

/** Options of {@link slashCommandBody}. */
export interface SlashCommandOptions extends Actor {
  command?: string;
  text?: string;
  triggerId?: string;
  /** Where `respond()` posts; point it at the fake (`fake.responseUrl()`). */
  responseUrl?: string;
}

/** A slash command's fields (all strings, as in the form Slack posts). */
export function slashCommandBody(o: SlashCommandOptions = {}): Record<string, string> {
  return {
    token: DEFAULTS.token,
    team_id: o.teamId ?? DEFAULTS.teamId,
    team_domain: DEFAULTS.teamDomain,
    channel_id: o.channelId ?? DEFAULTS.channelId,
    channel_name: o.channelName ?? DEFAULTS.channelName,
    user_id: o.userId ?? DEFAULTS.userId,
    user_name: o.userName ?? DEFAULTS.userName,
    command: o.command ?? '/omnipay',
    text: o.text ?? '',
    api_app_id: DEFAULTS.apiAppId,
    is_enterprise_install: 'false',
    response_url: o.responseUrl ?? 'http://127.0.0.1:9/response/unset',
    trigger_id: o.triggerId ?? freshId('TR'),
  };
}

/** Options of {@link blockActionPayload}. */
export interface BlockActionOptions extends Actor {
  actionId: string;
  value?: string;
  blockId?: string;
  /** The message the button is on; its `ts` becomes the container's `message_ts`. */
  message?: { ts: string; text?: string; blocks?: unknown[]; thread_ts?: string };
  /** A button in a modal instead of a message. */
  view?: { id: string; callback_id?: string; private_metadata?: string };
  triggerId?: string;
  responseUrl?: string;
}

/** A `block_actions` interaction (the JSON inside `payload=`). */
export function blockActionPayload(o: BlockActionOptions): Record<string, unknown> {
  const channelId = o.channelId ?? DEFAULTS.channelId;
  const message = o.view ? undefined : (o.message ?? { ts: freshTs(), text: '' });
  const container = o.view
    ? { type: 'view', view_id: o.view.id }
    : { type: 'message', message_ts: message?.ts, channel_id: channelId, is_ephemeral: false, ...(message?.thread_ts ? { thread_ts: message.thread_ts } : {}) };
  return {
    type: 'block_actions',
    user: { id: o.userId ?? DEFAULTS.userId, username: o.userName ?? DEFAULTS.userName, name: o.userName ?? DEFAULTS.userName, team_id: o.teamId ?? DEFAULTS.teamId },
    api_app_id: DEFAULTS.apiAppId,
    token: DEFAULTS.token,
    container,
    trigger_id: o.triggerId ?? freshId('TR'),
    team: { id: o.teamId ?? DEFAULTS.teamId, domain: DEFAULTS.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    ...(o.view
      ? { view: { id: o.view.id, type: 'modal', callback_id: o.view.callback_id ?? '', private_metadata: o.view.private_metadata ?? '', state: { values: {} } } }
      : {
          channel: { id: channelId, name: o.channelName ?? DEFAULTS.channelName },
          message: { type: 'message', user: 'U0FAKEBOT', bot_id: 'B0FAKEBOT', ...message },
          response_url: o.responseUrl ?? 'http://127.0.0.1:9/response/unset',
        }),
    actions: [
      {
        type: 'button',
        action_id: o.actionId,
        block_id: o.blockId ?? 'actions',
        value: o.value ?? '',
        text: { type: 'plain_text', text: o.actionId, emoji: true },
        action_ts: freshTs(),
      },
    ],
  };
}

/** One input's value, as `view.state.values[block_id][action_id]` holds it. */
export type InputValue =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'static_select'; selected_option: { value: string; text?: { type: 'plain_text'; text: string } } | null }
  | ({ type: string } & Record<string, unknown>);

/** Options of {@link viewSubmissionPayload}. */
export interface ViewSubmissionOptions extends Actor {
  callbackId: string;
  /** `block_id → action_id → value`; a bare string is a `plain_text_input` value. */
  values?: Record<string, Record<string, InputValue | string>>;
  privateMetadata?: string;
  viewId?: string;
  title?: string;
  /** Only with `response_url_enabled` inputs in the modal; Bolt's `respond()` then posts there. */
  responseUrls?: { block_id: string; action_id: string; channel_id: string; response_url: string }[];
}

/** A `view_submission` interaction. */
export function viewSubmissionPayload(o: ViewSubmissionOptions): Record<string, unknown> {
  const values: Record<string, Record<string, InputValue>> = {};
  for (const [block, actions] of Object.entries(o.values ?? {})) {
    const inputs: Record<string, InputValue> = {};
    for (const [action, v] of Object.entries(actions)) inputs[action] = typeof v === 'string' ? { type: 'plain_text_input', value: v } : v;
    values[block] = inputs;
  }
  return {
    type: 'view_submission',
    team: { id: o.teamId ?? DEFAULTS.teamId, domain: DEFAULTS.teamDomain },
    user: { id: o.userId ?? DEFAULTS.userId, username: o.userName ?? DEFAULTS.userName, name: o.userName ?? DEFAULTS.userName, team_id: o.teamId ?? DEFAULTS.teamId },
    api_app_id: DEFAULTS.apiAppId,
    token: DEFAULTS.token,
    trigger_id: freshId('TR'),
    view: {
      id: o.viewId ?? freshId('V'),
      team_id: o.teamId ?? DEFAULTS.teamId,
      type: 'modal',
      callback_id: o.callbackId,
      private_metadata: o.privateMetadata ?? '',
      title: { type: 'plain_text', text: o.title ?? 'OMNIPAY' },
      blocks: [],
      state: { values },
      hash: freshId('H'),
      app_id: DEFAULTS.apiAppId,
      bot_id: 'B0FAKEBOT',
    },
    response_urls: o.responseUrls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Options of {@link messageEvent}. */
export interface MessageEventOptions {
  text: string;
  channel?: string;
  user?: string;
  ts?: string;
  /** A reply in a thread: the parent message's `ts`. */
  threadTs?: string;
  /** A message posted by an app (`subtype: bot_message` unless `subtype` says otherwise). */
  botId?: string;
  subtype?: string;
}

/** A `message` event (the `event` of an `event_callback`). */
export function messageEvent(o: MessageEventOptions): Record<string, unknown> {
  const ts = o.ts ?? freshTs();
  const subtype = o.subtype ?? (o.botId ? 'bot_message' : undefined);
  return {
    type: 'message',
    channel: o.channel ?? DEFAULTS.channelId,
    channel_type: 'channel',
    text: o.text,
    ts,
    event_ts: ts,
    ...(o.botId ? { bot_id: o.botId } : { user: o.user ?? DEFAULTS.userId }),
    ...(subtype ? { subtype } : {}),
    ...(o.threadTs ? { thread_ts: o.threadTs, parent_user_id: 'U0FAKEBOT' } : {}),
  };
}

/** Options of {@link eventCallbackBody}. */
export interface EventCallbackOptions {
  /** Keep it to send the same event twice (a redelivery). */
  eventId?: string;
  teamId?: string;
}

/** An Events API `event_callback` wrapping one event. */
export function eventCallbackBody(event: Record<string, unknown>, o: EventCallbackOptions = {}): Record<string, unknown> {
  const teamId = o.teamId ?? DEFAULTS.teamId;
  return {
    token: DEFAULTS.token,
    team_id: teamId,
    api_app_id: DEFAULTS.apiAppId,
    event,
    type: 'event_callback',
    event_id: o.eventId ?? freshId('Ev'),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: freshId('EC'),
  };
}

/** The `url_verification` challenge Slack sends when the request URL is saved. */
export function urlVerificationBody(challenge: string): Record<string, unknown> {
  return { token: DEFAULTS.token, challenge, type: 'url_verification' };
}
