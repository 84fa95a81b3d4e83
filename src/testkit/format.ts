/**
 * The conversation script format, as the runner sees it after parsing. A script is a named list of
 * steps a cardholder (and the operator) take, with what the bot must answer. The YAML form is
 * documented in the README ("Conversation scripts"); the parser turns it into these types.
 */

/** The channels a script can run on. */
export type ChannelName = 'inprocess' | 'console' | 'telegram';
/** Every channel, in the order reports list them. */
export const CHANNELS: readonly ChannelName[] = ['inprocess', 'console', 'telegram'];

/** What a `media:` step sends. */
export type MediaStepKind = 'photo' | 'sticker' | 'voice' | 'document';

/** How a bot message's text is checked. Strings may hold `${variables}`. */
export interface TextExpectation {
  exact?: string;
  contains?: string | string[];
  regex?: string;
  /** The text must not contain this. */
  not?: string | string[];
  /** The message is in this language (script detection: Japanese has kana/kanji, English has none). */
  lang?: string;
  /** The text equals this catalogue message rendered in `lang` (or the chat's language, default en). */
  key?: string;
  vars?: Record<string, string>;
  /** Labels that must be offered on this message (each exact, in any order). */
  buttons?: string[];
  /** No buttons on this message. */
  noButtons?: boolean;
  /** Values captured from the text with regex groups: `{ ref: 'reference (\\w+)' }`. */
  capture?: Record<string, string>;
}

/** What an expected e-mail must look like. */
export interface EmailExpectation {
  to?: string;
  subject?: string;
  /** Strings the plain-text body must contain. */
  body?: string | string[];
  /** Values captured from the body (then subject) with regex groups. */
  capture?: Record<string, string>;
}

/** One step of a script. `line` is where it starts in the file (for reports). */
export type Step = { line: number; as?: string } & (
  | { kind: 'send'; text: string }
  /** The person sends a photo, sticker, voice message or file (with a caption, for photos and files). */
  | { kind: 'media'; media: MediaStepKind; caption?: string }
  | { kind: 'press'; label: string }
  | { kind: 'expect'; expect: TextExpectation }
  | { kind: 'image'; expect: TextExpectation }
  | { kind: 'file'; name?: string; contains?: string; expect: TextExpectation }
  | { kind: 'buttons'; labels: string[]; exact: boolean }
  | { kind: 'deleted' }
  | { kind: 'no-reply' }
  | { kind: 'email'; expect: EmailExpectation }
  | { kind: 'no-email'; to?: string }
  | { kind: 'advance'; ms: number; text: string }
  | { kind: 'restart' }
  | { kind: 'cli'; command: string; capture: Record<string, string>; exit: number; expect?: TextExpectation }
  | { kind: 'confirm-payment'; reference: string; outcome: 'paid' | 'failed' }
  | { kind: 'join'; who: string }
  | { kind: 'set'; vars: Record<string, string> }
  | { kind: 'logs-exclude'; values: string[] }
  | { kind: 'slack'; action: SlackAction }
  | { kind: 'slack-expect'; expect: SlackExpectation }
);

/** What a support agent does in Slack (`slack:` steps; see the README, "Conversation scripts"). */
export type SlackAction =
  /** A slash command with its text, e.g. `/omnipay lookup kenji`. */
  | { do: 'command'; text: string }
  /** A button, by label (else action id), on the newest Slack message or modal the agent sees that has it. */
  | { do: 'press'; label: string }
  /** Fills the agent's open modal (inputs by label, block id or action id), then submits it unless `submit: false`. */
  | { do: 'modal'; values: Record<string, string>; submit: boolean }
  /** A reply in a ticket's thread: the latest ticket, or the one named by `ticket`. */
  | { do: 'reply'; text: string; ticket?: string };

/**
 * Where a Slack message is: the support channel, a thread in it, only the agent's (ephemeral,
 * response, modal), or a file shared into a channel (its name, title, comment and content as text).
 */
export type SlackPlace = 'channel' | 'thread' | 'ephemeral' | 'response' | 'modal' | 'file' | 'any';

/** What a Slack message the agent sees must say (Block Kit text: sections, fields, context, headers; button labels). */
export interface SlackExpectation {
  in: SlackPlace;
  contains?: string[];
  not?: string[];
  regex?: string;
  buttons?: string[];
  capture?: Record<string, string>;
  /** No such message (with `contains` / `regex`: none at all, read or not; without: nothing unread). */
  none?: boolean;
  /** The errors the agent's last modal submission got, by input label or block id. */
  errors?: Record<string, string>;
}

/** What an agent named in a script may do: the support team, an admin, or nobody (refused). */
export type AgentRole = 'support' | 'admin' | 'nobody';

/** The kinds of step, for documentation and errors. */
export type StepKind = Step['kind'];

/** A fixture's member. */
export interface FixtureMember {
  username: string;
  email: string;
  password: string;
  fullName?: string;
  lang?: string;
  loggedIn?: boolean;
}

/** A fixture member's enrolled card: its currency, starting balance, and optionally its last 4 and initial PIN. */
export interface FixtureCard {
  currency: string;
  balance?: string;
  last4?: string;
  pin?: string;
}

/**
 * A member (and optionally an enrolled card) that exists before the first step, logged in; and
 * `others`, more members (with cards) in no chat, e.g. a second cardholder whose card ends alike.
 */
export interface Fixture {
  member?: FixtureMember;
  card?: FixtureCard;
  others?: { member: FixtureMember; card?: FixtureCard }[];
}

/** A parsed script. */
export interface Script {
  name: string;
  file: string;
  description?: string;
  /** Channels this script is meant for (default: every channel). */
  channels: ChannelName[];
  /** Extra configuration for the script's app (e.g. LOGIN_MAX_FAILURES). */
  env: Record<string, string>;
  /** Variables known from the start. */
  vars: Record<string, string>;
  fixture?: Fixture;
  /** Slack agents by name (`agents:`); the default team is sam and kim (support), ada (admin), eve (nobody). */
  agents?: Record<string, AgentRole>;
  steps: Step[];
}
