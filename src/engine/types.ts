/**
 * What channels hand the engine and what they get back. Channels stay thin: they translate their
 * native updates into {@link Inbound} and render {@link Outbound} natively.
 */

/** One thing a person did in a chat. */
export interface Inbound {
  channel: string;
  chatId: string;
  /** The platform's id of the user's message (for deleting secrets, editing screens). */
  messageId?: string;
  /** A platform-wide unique id of the update, to process each one once (Telegram update_id). */
  updateKey?: string;
  kind: 'text' | 'button' | 'command' | 'media';
  /** What kind of media (`kind: 'media'`); its caption is not passed on. */
  media?: string;
  text?: string;
  /** The opaque button data the engine issued (≤ 64 bytes). */
  data?: string;
  command?: string;
  arg?: string;
  /** Language the platform reports for the user (first contact only). */
  langHint?: string;
}

/** A button as a channel shows it: a label and the opaque data to hand back when pressed. */
export interface OutButton {
  label: string;
  data: string;
}

/** Something a channel must show or do. */
export type Outbound =
  /** `text` is what the reader sees; `html` the same with Telegram HTML emphasis (values escaped). */
  | { kind: 'text'; text: string; html?: string; buttons?: OutButton[][]; editOf?: string }
  | { kind: 'image'; png: Buffer; terminal?: string; caption?: string; captionHtml?: string; buttons?: OutButton[][]; editOf?: string }
  | { kind: 'file'; name: string; mime: string; content: Buffer; caption?: string; captionHtml?: string }
  | { kind: 'delete'; messageId: string };

/** The engine's answer to one inbound event. */
export interface TurnResult {
  outbound: Outbound[];
  /** A short note for the button press itself (Telegram's answerCallbackQuery), e.g. an expired button. */
  ack?: string;
  /** True when the update had been processed before and was skipped. */
  duplicate?: boolean;
}
