/**
 * The conversation script format, as the runner sees it after parsing. A script is a named list of
 * steps a cardholder (and the operator) take, with what the bot must answer. The YAML form is
 * documented in the README ("Conversation scripts"); the parser turns it into these types.
 */

/** The channels a script can run on. */
export type ChannelName = 'inprocess' | 'console' | 'telegram';
/** Every channel, in the order reports list them. */
export const CHANNELS: readonly ChannelName[] = ['inprocess', 'console', 'telegram'];

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
  | { kind: 'slack'; raw: unknown }
);

/** The kinds of step, for documentation and errors. */
export type StepKind = Step['kind'];

/** A member (and optionally an enrolled card) that exists before the first step, logged in. */
export interface Fixture {
  member?: { username: string; email: string; password: string; fullName?: string; lang?: string; loggedIn?: boolean };
  card?: { currency: string; balance?: string; last4?: string; pin?: string };
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
  steps: Step[];
}
