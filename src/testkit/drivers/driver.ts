import type { App } from '../../app/app.js';
import type { ChannelName } from '../format.js';

/** One message from the bot as the person sees it, whatever the channel. */
export interface BotMessage {
  kind: 'text' | 'image' | 'file';
  /** The text, or the caption of an image or file. */
  text: string;
  /** Button labels, one inner array per row. */
  buttons: string[][];
  file?: { name: string; mime?: string; content: Buffer };
}

/** A press the script asked for did not find its button. */
export class NoSuchButtonError extends Error {
  readonly code = 'CONVERSE.NO_SUCH_BUTTON';
}

/** One participant's chat with the bot, on some channel. */
export interface ChatHandle {
  readonly name: string;
  readonly chatId: string;
  /** Sends text, or a command when it starts with `/`. Resolves when the bot has answered. */
  send(text: string): Promise<void>;
  /** Sends a photo, sticker, voice message or file; a channel that has none (the console) throws. */
  sendMedia(media: string, caption?: string): Promise<void>;
  /** Presses the button with this label on the latest message that has buttons. */
  press(label: string): Promise<void>;
  /** Bot messages not yet checked by the script, oldest first. */
  readonly inbox: BotMessage[];
  /** Labels of the buttons the person can press now (the latest message with buttons). */
  offered(): string[][];
  /** Was the person's latest message removed by the bot? */
  lastInputDeleted(): boolean;
}

/** Drives the assistant through one channel, for every participant of a script. */
export interface Driver {
  readonly channel: ChannelName;
  /** The engine's channel name for these chats (chat keys are `<engineChannel>:<chatId>`). */
  readonly engineChannel: string;
  /** Starts what the channel needs before the app opens; returns configuration for the app. */
  prepare?(): Promise<Record<string, string>>;
  /** Stops what `prepare` started (after the last detach). */
  close?(): Promise<void>;
  /** Connects to an app (at the start, and again after each restart). */
  attach(app: App): Promise<void>;
  /** Disconnects from the current app (before a restart and at the end). */
  detach(): Promise<void>;
  /** The chat of a participant, created on first use. */
  chat(name: string): Promise<ChatHandle>;
  /** Waits until replies sent outside a turn (notices) have arrived. */
  settle(): Promise<void>;
}

/** Where every line of the conversation is written, for failure reports. */
export type Transcript = string[];

/** Shows a bot message in one transcript line. */
export function describeMessage(m: BotMessage): string {
  const head = m.kind === 'text' ? '' : m.kind === 'image' ? '[image] ' : `[file ${m.file?.name ?? ''}] `;
  const buttons = m.buttons.length ? `  [${m.buttons.flat().join(' | ')}]` : '';
  return `${head}${m.text}${buttons}`;
}

/**
 * What every channel's chat has in common: the inbox, the buttons on offer, and the transcript.
 * Subclasses deliver messages with {@link BaseChat.receive}.
 */
export abstract class BaseChat<TButton> implements ChatHandle {
  readonly inbox: BotMessage[] = [];
  protected buttons: { label: string; ref: TButton }[][] = [];
  protected deleted = false;

  constructor(
    readonly name: string,
    readonly chatId: string,
    protected readonly transcript: Transcript,
  ) {}

  abstract send(text: string): Promise<void>;

  sendMedia(media: string, _caption?: string): Promise<void> {
    return Promise.reject(new Error(`this channel cannot send a ${media}; list the script's channels without it`));
  }
  abstract press(label: string): Promise<void>;

  offered(): string[][] {
    return this.buttons.map((row) => row.map((b) => b.label));
  }

  lastInputDeleted(): boolean {
    return this.deleted;
  }

  /** Records what the person did. */
  protected said(text: string): void {
    this.deleted = false;
    this.transcript.push(`${this.name} > ${text}`);
  }

  /** Records a message from the bot; its buttons become the ones on offer. */
  receive(m: BotMessage, refs?: TButton[][]): void {
    this.inbox.push(m);
    this.transcript.push(`bot → ${this.name}: ${describeMessage(m)}`.replace(/\n/g, '\n    '));
    if (refs && refs.length) this.buttons = m.buttons.map((row, i) => row.map((label, j) => ({ label, ref: refs[i]![j]! })));
  }

  /** Records that the person's message was removed (it held a secret: the transcript stops showing it). */
  protected markDeleted(): void {
    this.deleted = true;
    const i = this.transcript.findLastIndex((l) => l.startsWith(`${this.name} > `));
    if (i >= 0) this.transcript[i] = `${this.name} > ••••••`;
    this.transcript.push(`bot → ${this.name}: (deleted the message)`);
  }

  /** Records a note (an expired-button answer, a toast). */
  protected note(text: string): void {
    this.transcript.push(`bot → ${this.name}: (${text})`);
  }

  /** Finds the button to press: exact label, then ignoring case, then containing the text. */
  protected findButton(label: string): TButton {
    const all = this.buttons.flat();
    const b =
      all.find((x) => x.label === label) ??
      all.find((x) => x.label.toLowerCase() === label.toLowerCase()) ??
      all.find((x) => x.label.toLowerCase().includes(label.toLowerCase()));
    if (!b) throw new NoSuchButtonError(`no button "${label}" to press; on offer: ${all.map((x) => JSON.stringify(x.label)).join(', ') || '(none)'}`);
    this.transcript.push(`${this.name} > [${b.label}]`);
    this.deleted = false;
    return b.ref;
  }
}

/** Splits `/command arg` (a command) from ordinary text. */
export function parseCommand(text: string): { command: string; arg: string } | null {
  const m = /^\/([A-Za-z_]\w*)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m ? { command: m[1]!.toLowerCase(), arg: (m[2] ?? '').trim() } : null;
}
