import type { App } from '../../app/app.js';
import type { Engine } from '../../engine/engine.js';
import type { Outbound } from '../../engine/types.js';
import { BaseChat, parseCommand, type BotMessage, type Driver, type Transcript } from './driver.js';

/** The engine channel name of in-process script chats. */
export const INPROCESS_CHANNEL = 'script';

/** Turns the engine's outbound replies into what a person sees. */
export function toBotMessages(outbound: Outbound[]): { messages: { m: BotMessage; data: string[][] }[]; deleted: string[] } {
  const messages: { m: BotMessage; data: string[][] }[] = [];
  const deleted: string[] = [];
  for (const o of outbound) {
    if (o.kind === 'delete') {
      deleted.push(o.messageId);
      continue;
    }
    const rows = 'buttons' in o && o.buttons ? o.buttons : [];
    const buttons = rows.map((r) => r.map((b) => b.label));
    const data = rows.map((r) => r.map((b) => b.data));
    if (o.kind === 'text') messages.push({ m: { kind: 'text', text: o.text, buttons }, data });
    else if (o.kind === 'image') messages.push({ m: { kind: 'image', text: o.caption ?? '', buttons }, data });
    else messages.push({ m: { kind: 'file', text: o.caption ?? '', buttons, file: { name: o.name, mime: o.mime, content: o.content } }, data });
  }
  return { messages, deleted };
}

class InProcessChat extends BaseChat<string> {
  private seq = 0;
  engine!: Engine;

  private async turn(input: { kind: 'text'; text: string } | { kind: 'command'; command: string; arg: string } | { kind: 'button'; data: string } | { kind: 'media'; media: string }): Promise<void> {
    const messageId = String(++this.seq);
    const r = await this.engine.handle({ channel: INPROCESS_CHANNEL, chatId: this.chatId, messageId, ...input });
    if (r.ack) this.note(r.ack);
    // Replies reach the chat the one way they reach any chat: its outbound queue.
    await this.engine.deliver(INPROCESS_CHANNEL, this.chatId);
  }

  /** Shows replies the outbound queue delivers (a turn's, or a notice's). */
  deliver(outbound: Outbound[]): void {
    const { messages, deleted } = toBotMessages(outbound);
    if (deleted.includes(String(this.seq))) this.markDeleted();
    for (const { m, data } of messages) this.receive(m, data);
  }

  async send(text: string): Promise<void> {
    this.said(text);
    const cmd = parseCommand(text);
    await this.turn(cmd ? { kind: 'command', ...cmd } : { kind: 'text', text });
  }

  /** Media reach the engine as a channel hands them over: the kind only, never the caption. */
  override async sendMedia(media: string): Promise<void> {
    await this.turn({ kind: 'media', media });
  }

  async press(label: string): Promise<void> {
    await this.turn({ kind: 'button', data: this.findButton(label) });
  }
}

/** Talks to the engine directly, like a channel would, with no transport in between. */
export class InProcessDriver implements Driver {
  readonly channel = 'inprocess' as const;
  readonly engineChannel = INPROCESS_CHANNEL;
  private readonly chats = new Map<string, InProcessChat>();
  private app: App | undefined;

  constructor(private readonly transcript: Transcript, private readonly idPrefix: string) {}

  async attach(app: App): Promise<void> {
    this.app = app;
    for (const c of this.chats.values()) c.engine = app.engine;
    app.engine.delivery.setSender(INPROCESS_CHANNEL, async (chatId, outbound) => {
      const chat = [...this.chats.values()].find((c) => c.chatId === chatId);
      chat?.deliver(outbound);
    });
  }

  async detach(): Promise<void> {
    this.app?.engine.delivery.setSender(INPROCESS_CHANNEL, null);
    this.app = undefined;
  }

  async chat(name: string): Promise<InProcessChat> {
    let c = this.chats.get(name);
    if (!c) {
      c = new InProcessChat(name, `${this.idPrefix}-${name}`, this.transcript);
      if (this.app) c.engine = this.app.engine;
      this.chats.set(name, c);
    }
    return c;
  }

  async settle(): Promise<void> {}
}
