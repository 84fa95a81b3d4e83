import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { App } from '../../app/app.js';
import { ConsoleChannel } from '../../channels/console/console.js';
import type { Engine } from '../../engine/engine.js';
import { BaseChat, type BotMessage, type Driver, type Transcript } from './driver.js';

const DELETED = '(your last message held a secret; it is not kept)';

/**
 * Reads what the console chat printed back into messages, one `print` at a time: a block starting
 * with a blank line is a message, `  [n] label` lines are its buttons, `[image saved: …]` and
 * `[file saved: …]` turn the message before into an image or a file.
 */
class ConsoleChat extends BaseChat<string> {
  channel!: ConsoleChannel;
  engine!: Engine;
  /** The message being printed: held until its buttons (if any) have been printed too. */
  private pending: BotMessage | null = null;

  /** Lines printed without a blank line before them: a CAPTCHA's terminal picture, or a note (held until known). */
  private held: string[] = [];

  /** One chunk the console channel printed. */
  printed(chunk: string): void {
    // A message may be printed with its numbered buttons in the same chunk: read them apart.
    const lines = chunk.replace(/\n$/, '').split('\n');
    let cut = lines.length;
    while (cut > 0 && /^ {2}\[\d+\] /.test(lines[cut - 1]!)) cut--;
    if (cut > 0 && cut < lines.length) {
      this.printedPart(lines.slice(0, cut).join('\n'));
      this.printedPart(lines.slice(cut).join('\n'));
    } else this.printedPart(lines.join('\n'));
  }

  private printedPart(text: string): void {
    const buttons = text.trim() !== '' && text.split('\n').every((l) => /^ {2}\[\d+\] /.test(l));
    if (text.startsWith('\n')) {
      this.flush();
      this.pending = { kind: 'text', text: text.trim(), buttons: [] };
    } else if (buttons) {
      const rows = text.split('\n').map((l) => /^ {2}\[(\d+)\] (.*)$/.exec(l)!);
      const m = this.pending ?? { kind: 'text' as const, text: '', buttons: [] };
      m.buttons = rows.map((r) => [r[2]!]);
      this.pending = null;
      this.held = [];
      this.receive(m, rows.map((r) => [r[1]!]));
    } else if (text.startsWith('[image saved: ')) {
      // What was held was the image's terminal rendering.
      this.held = [];
      const m = this.pending ?? { kind: 'text' as const, text: '', buttons: [] };
      this.pending = { ...m, kind: 'image' };
    } else if (text.startsWith('[file saved: ')) {
      this.held = [];
      const path = text.slice('[file saved: '.length, -1);
      const m = this.pending ?? { kind: 'text' as const, text: '', buttons: [] };
      this.pending = null;
      this.receive({ ...m, kind: 'file', file: { name: basename(path), content: readFileSync(path) } });
    } else if (text === DELETED) {
      this.markDeleted();
    } else {
      this.held.push(text.trim());
    }
  }

  /** Delivers the message being held (called at the end of a turn). */
  flush(): void {
    if (this.pending) {
      const m = this.pending;
      this.pending = null;
      this.receive(m);
    }
    for (const h of this.held.splice(0)) this.note(h);
  }

  async send(text: string): Promise<void> {
    this.said(text);
    await this.line(text);
  }

  async press(label: string): Promise<void> {
    await this.line(this.findButton(label));
  }

  /** Types one line into the console chat, as its `run()` loop would handle it. */
  private async line(line: string): Promise<void> {
    await this.channel.handleLine(line);
    this.flush();
  }
}

/** Drives the real console chat class: lines typed in, printed text read back. */
export class ConsoleDriver implements Driver {
  readonly channel = 'console' as const;
  readonly engineChannel = 'console';
  private readonly chats = new Map<string, ConsoleChat>();
  private app: App | undefined;
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'omnipay-converse-console-'));

  constructor(private readonly transcript: Transcript, private readonly idPrefix: string) {}

  async attach(app: App): Promise<void> {
    this.app = app;
    app.engine.delivery.setSender('console', async (chatId, outbound) => {
      const chat = [...this.chats.values()].find((c) => c.chatId === chatId);
      if (chat) {
        chat.channel.show(outbound);
        chat.flush();
      }
    });
  }

  async detach(): Promise<void> {
    this.app?.engine.delivery.setSender('console', null);
    this.app = undefined;
  }

  async chat(name: string): Promise<ConsoleChat> {
    let c = this.chats.get(name);
    if (!c) {
      const chat = new ConsoleChat(name, `${this.idPrefix}-${name}`, this.transcript);
      const output = new Writable({
        write(chunk: Buffer, _enc, cb) {
          chat.printed(chunk.toString('utf8'));
          cb();
        },
      });
      // The engine is looked up on every turn, so the chat keeps its numbered buttons across a restart.
      const engine = {
        handle: (i: Parameters<Engine['handle']>[0]) => this.requireApp().engine.handle(i),
        deliver: (channel: string, chatId: string) => this.requireApp().engine.deliver(channel, chatId),
      } as unknown as Engine;
      chat.engine = engine;
      chat.channel = new ConsoleChannel({ engine, input: new PassThrough(), output, dataDir: this.dataDir, chatId: chat.chatId });
      this.chats.set(name, chat);
      c = chat;
    }
    return c;
  }

  private requireApp(): App {
    if (!this.app) throw new Error('the console driver is not attached to an app');
    return this.app;
  }

  async settle(): Promise<void> {}
}
