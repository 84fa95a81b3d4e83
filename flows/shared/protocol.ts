/**
 * The neutral language between channels, the engine and the flows. Pure types: no I/O.
 *
 * A channel turns its input into an {@link InboundEvent}; the engine stamps it with the time and
 * sends it to the chat's root machine; machines emit {@link ReplyEvent}s which the engine renders
 * (message catalogues) and hands back to the channel.
 */

/** Values that may be interpolated into a catalogue message. */
export type MessageVars = Record<string, string | number>;

/** A reference to a catalogue message: channels never see keys, the engine renders them. */
export interface Msg {
  key: string;
  vars?: MessageVars;
}

/** One button. `value` is what the flow receives when it is pressed (kept server-side). */
export interface Button {
  label: Msg;
  value: string;
}

/** What a machine can ask the channel to show or do. */
export type Reply =
  /**
   * `replace` edits the screen whose button was pressed; `nav` marks a navigation screen (a menu, Help,
   * settings, a page of results): the next screen reached from one of its buttons takes its place.
   * `aside` (a picker shown in the middle of a flow): its buttons join the chat's current screen
   * instead of replacing it, so the flow's buttons above keep working.
   */
  | { kind: 'text'; msg: Msg; buttons?: Button[][]; replace?: boolean; nav?: boolean; aside?: boolean }
  | { kind: 'image'; png: string; terminal?: string; caption?: Msg; buttons?: Button[][]; replace?: boolean; nav?: boolean }
  | { kind: 'file'; name: string; mime: string; content: string; caption?: Msg }
  /** Remove the user's message that this turn is answering (it carried a secret). */
  | { kind: 'delete-input' };

/** Emitted by any machine; the engine collects these in order. */
export interface ReplyEvent {
  type: 'reply';
  reply: Reply;
}

/** Fields every inbound event carries. `at` is the engine clock's time in epoch milliseconds. */
interface Stamped {
  at: number;
}

/** What a user (or the system, for notices) did. */
export type UserEvent =
  | ({ type: 'text'; text: string } & Stamped)
  | ({ type: 'button'; value: string } & Stamped)
  | ({ type: 'command'; name: string; arg: string } & Stamped)
  /** A photo, sticker, voice message or file where text was expected; its caption is never read as an answer. */
  | ({ type: 'media'; media: MediaKind } & Stamped);

/** What was sent instead of text. */
export type MediaKind = 'photo' | 'sticker' | 'voice' | 'document' | 'other';
export const MEDIA_KINDS: readonly MediaKind[] = ['photo', 'sticker', 'voice', 'document', 'other'];

/**
 * Something that happened outside the chat and must be told in it (charge completed, support reply).
 * `signal` also tells the flow the chat is in (as a {@link SignalEvent}), e.g. that support closed
 * the hand-off; flows that do not know the signal ignore it.
 */
export type NoticeEvent = { type: 'notice'; msg: Msg; endSession?: boolean; signal?: string; buttons?: Button[][] } & Stamped;

/**
 * Buttons on notices are quick actions: their value (`go:<flow>` or `go:<flow>:<arg>`) is also
 * their callback data, so they work whenever they are pressed, after other screens and restarts,
 * and start that flow as its command would.
 */
export const QUICK_ACTION = /^go:([a-z]{1,20})(?::([A-Za-z0-9:_-]{1,40}))?$/;

/** The flow and argument of a quick action's value, or null when it is not one. */
export function quickAction(value: string): { flow: string; arg: string | null } | null {
  const m = QUICK_ACTION.exec(value);
  return m ? { flow: m[1]!, arg: m[2] ?? null } : null;
}

/** What a running flow receives from a notice with a `signal` (the root forwards it). */
export type SignalEvent = { type: 'signal'; name: string };

/** Every event the root machine accepts from the engine. */
export type InboundEvent = UserEvent | NoticeEvent;

/** The member logged in on this chat, as the root machine remembers it. */
export interface Session {
  memberId: string;
  username: string;
  sessionId: string;
  startedAt: number;
  lastSeenAt: number;
}

/** Language codes with a message catalogue. */
export type Lang = 'en' | 'ja';
export const LANGS: readonly Lang[] = ['en', 'ja'];

/** What every flow receives when the root starts it. */
export interface FlowInput {
  chatKey: string;
  lang: Lang;
  session: Session | null;
  /** Flow-specific start argument (e.g. a deep-link token). */
  arg?: string;
  /** Session policy so flows can judge expiry from event timestamps. */
  now: number;
  /** Where the chat was when this flow was asked for (`menu`, or a flow and its step, e.g. `charge › amount`). */
  from?: string;
}

/** What a flow returns when it finishes: where the root goes next and what changed. */
export interface FlowOutput {
  /** Start this flow next instead of showing the menu. */
  next?: string;
  nextArg?: string;
  /** A new session (log-in) or null (log-out); undefined leaves it unchanged. */
  session?: Session | null;
  lang?: Lang;
  /** Show the dashboard menu after finishing (default true unless `next`). */
  menu?: boolean;
}
