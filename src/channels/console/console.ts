import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Engine } from '../../engine/engine.js';
import type { Inbound, OutButton, Outbound } from '../../engine/types.js';
import { htmlToAnsi } from '../../lib/html.js';

/** Options of the console chat. */
export interface ConsoleOptions {
  engine: Engine;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where images and files are saved so the person can open them. */
  dataDir: string;
  chatId?: string;
  /**
   * Replies already printed for the first `/start` (the greeting shown before the database opened,
   * see preview.ts); the real first turn is then not printed again when it answers the same.
   */
  greeted?: Outbound[];
  /** Show emphasis (bold, monospace) with ANSI codes; by default when the output is a terminal that allows colour. */
  color?: boolean;
}

/** Whether a stream is a terminal that takes ANSI emphasis (NO_COLOR turns it off, FORCE_COLOR on). */
export function supportsColor(output: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return (output as { isTTY?: boolean }).isTTY === true && env.TERM !== 'dumb';
}

/** Whether two screens show the same texts and buttons (button tokens differ between engines). */
export function sameScreen(a: Outbound[], b: Outbound[]): boolean {
  const shape = (o: Outbound[]) => JSON.stringify(o.map((x) => (x.kind === 'text' ? { text: x.text, buttons: x.buttons?.map((r) => r.map((btn) => btn.label)) } : { kind: x.kind })));
  return shape(a) === shape(b);
}

/** A text reply as the terminal shows it: the text, then its buttons numbered from 1. */
export function formatText(text: string, buttons?: OutButton[][]): string {
  const lines = [`\n${text}`];
  if (buttons) lines.push(buttons.flat().map((b, i) => `  [${i + 1}] ${b.label}`).join('\n'));
  return lines.join('\n') + '\n';
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
  private greeted: Outbound[];
  private readonly color: boolean;

  constructor(private readonly o: ConsoleOptions) {
    this.chatId = o.chatId ?? 'local';
    this.color = o.color ?? supportsColor(o.output);
    this.greeted = [...(o.greeted ?? [])];
  }

  /** Prints something that did not come from a turn (an e-mail, a notice). */
  print(text: string): void {
    this.o.output.write(text.endsWith('\n') ? text : text + '\n');
  }

  /** Shows replies (the console's sender: the outbound queue delivers them here). */
  show(outbound: Outbound[]): void {
    for (const o of outbound) {
      // The first screen may be on the terminal already (printed before the database opened).
      const early = this.greeted.shift();
      if (early && sameScreen([early], [o])) {
        if (o.kind === 'text' && o.buttons) this.buttons = o.buttons.flat();
        continue;
      }
      this.greeted = [];
      switch (o.kind) {
        case 'text':
          this.print(formatText(this.shown(o.text, o.html), o.buttons));
          if (o.buttons) this.buttons = o.buttons.flat();
          break;
        case 'image': {
          const path = this.save(`image-${Date.now()}-${++this.files}.png`, o.png);
          if (o.caption) this.print(`\n${this.shown(o.caption, o.captionHtml)}`);
          if (o.terminal) this.print(o.terminal);
          this.print(`[image saved: ${path}]`);
          if (o.buttons) this.showButtons(o.buttons);
          break;
        }
        case 'file': {
          const path = this.save(o.name, o.content);
          if (o.caption) this.print(`\n${this.shown(o.caption, o.captionHtml)}`);
          this.print(`[file saved: ${path}]`);
          break;
        }
        case 'delete':
          this.print('(your last message held a secret; it is not kept)');
          break;
      }
    }
  }

  /** A reply's text as printed: with ANSI emphasis when the terminal takes it. */
  private shown(text: string, html: string | undefined): string {
    return this.color && html ? htmlToAnsi(html) : text;
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

  /**
   * Handles one typed line: its turn, the note of a press (an expired button), then its replies.
   * A turn that shows no buttons leaves none to press (the engine forgot the earlier ones), so a
   * number typed next is text, not a press of a button that is gone.
   */
  async handleLine(line: string): Promise<void> {
    const res = await this.o.engine.handle(this.parse(line));
    if (res.ack) this.print(res.ack);
    else if (!res.duplicate && !res.outbound.some((o) => (o.kind === 'text' || o.kind === 'image') && o.buttons?.length)) this.buttons = [];
    await this.o.engine.deliver('console', this.chatId);
  }

  /** Runs until the input ends. Lines are handled one at a time, in order. */
  async run(): Promise<void> {
    await this.o.engine.handle({ channel: 'console', chatId: this.chatId, kind: 'command', command: 'start', arg: '' });
    await this.o.engine.deliver('console', this.chatId);
    this.greeted = [];
    const rl = createInterface({ input: this.o.input, terminal: false });
    for await (const line of rl) {
      if (line.trim() === '') continue;
      await this.handleLine(line);
    }
  }
}
