import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Engine } from '../../engine/engine.js';
import type { Inbound, OutButton, Outbound } from '../../engine/types.js';

/** Options of the console chat. */
export interface ConsoleOptions {
  engine: Engine;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where images and files are saved so the person can open them. */
  dataDir: string;
  chatId?: string;
}

/**
 * The console chat: one line in, the bot's replies out. Buttons are numbered — type the number to
 * press one. Images and files are saved under DATA_DIR and their paths printed.
 */
export class ConsoleChannel {
  private buttons: OutButton[] = [];
  private files = 0;
  private readonly chatId: string;
  private messages = 0;

  constructor(private readonly o: ConsoleOptions) {
    this.chatId = o.chatId ?? 'local';
  }

  /** Prints something that did not come from a turn (an e-mail, a notice). */
  print(text: string): void {
    this.o.output.write(text.endsWith('\n') ? text : text + '\n');
  }

  /** Shows replies. */
  show(outbound: Outbound[]): void {
    for (const o of outbound) {
      switch (o.kind) {
        case 'text':
          this.print(`\n${o.text}`);
          if (o.buttons) this.showButtons(o.buttons);
          break;
        case 'image': {
          const path = this.save(`image-${Date.now()}-${++this.files}.png`, o.png);
          if (o.caption) this.print(`\n${o.caption}`);
          if (o.terminal) this.print(o.terminal);
          this.print(`[image saved: ${path}]`);
          if (o.buttons) this.showButtons(o.buttons);
          break;
        }
        case 'file': {
          const path = this.save(o.name, o.content);
          if (o.caption) this.print(`\n${o.caption}`);
          this.print(`[file saved: ${path}]`);
          break;
        }
        case 'delete':
          this.print('(your last message held a secret; it is not kept)');
          break;
      }
    }
  }

  private showButtons(rows: OutButton[][]): void {
    this.buttons = rows.flat();
    this.print(this.buttons.map((b, i) => `  [${i + 1}] ${b.label}`).join('\n'));
  }

  private save(name: string, content: Buffer): string {
    const dir = resolve(this.o.dataDir, 'files');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name.replace(/[^\w.-]/g, '_'));
    writeFileSync(path, content);
    return path;
  }

  /** Turns one typed line into an inbound event. */
  parse(line: string): Inbound {
    const messageId = String(++this.messages);
    const base = { channel: 'console', chatId: this.chatId, messageId };
    const trimmed = line.trim();
    const n = /^\d{1,2}$/.test(trimmed) ? Number(trimmed) : NaN;
    if (n >= 1 && n <= this.buttons.length) return { ...base, kind: 'button', data: this.buttons[n - 1]!.data };
    const cmd = /^\/([a-z_]+)(?:\s+(.*))?$/i.exec(trimmed);
    if (cmd) return { ...base, kind: 'command', command: cmd[1]!.toLowerCase(), arg: cmd[2] ?? '' };
    return { ...base, kind: 'text', text: line };
  }

  /** Runs until the input ends. Lines are handled one at a time, in order. */
  async run(): Promise<void> {
    this.show((await this.o.engine.handle({ channel: 'console', chatId: this.chatId, kind: 'command', command: 'start', arg: '' })).outbound);
    const rl = createInterface({ input: this.o.input, terminal: false });
    for await (const line of rl) {
      if (line.trim() === '') continue;
      const res = await this.o.engine.handle(this.parse(line));
      if (res.ack) this.print(res.ack);
      this.show(res.outbound);
    }
  }
}
