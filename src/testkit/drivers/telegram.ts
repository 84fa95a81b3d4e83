import { channelPorts } from '../../app/ports.js';
import { createHash } from 'node:crypto';
import type { App } from '../../app/app.js';
import { TelegramChannel } from '../../channels/telegram/telegram.js';
import { FakeTelegram, type FakeMessage } from '../telegram/fake-bot-api.js';
import { BaseChat, type BotMessage, type Driver, type Transcript } from './driver.js';

/** A button on a Telegram message: which message it is on and the callback data it sends. */
interface TgButton {
  messageId: number;
  data: string;
}

/** How long one update may take from the user's side to the bot's last answer. */
const UPDATE_TIMEOUT_MS = 20_000;

class TelegramChat extends BaseChat<TgButton> {
  /** Bot messages already delivered: the edit count and the content seen (a changed content arrives as a new message). */
  private readonly seen = new Map<number, { edits: number; content: string }>();
  private lastUserMessage = 0;

  constructor(name: string, readonly numericId: number, transcript: Transcript, private readonly d: TelegramDriver) {
    super(name, String(numericId), transcript);
  }

  async send(text: string): Promise<void> {
    this.said(text);
    const u = this.d.fake.userSays(this.numericId, text);
    this.lastUserMessage = (u.message as { message_id: number }).message_id;
    await this.d.waitFor(u.update_id);
    this.collect();
  }

  override async sendMedia(media: string, caption?: string): Promise<void> {
    const u = this.d.fake.userSendsMedia(this.numericId, media as 'photo' | 'sticker' | 'voice' | 'document', caption);
    this.lastUserMessage = (u.message as { message_id: number }).message_id;
    await this.d.waitFor(u.update_id);
    this.collect();
  }

  async press(label: string): Promise<void> {
    const b = this.findButton(label);
    const u = this.d.fake.pressData(this.numericId, b.messageId, b.data);
    await this.d.waitFor(u.update_id);
    const cb = u.callback_query as { id: string };
    const answer = this.d.fake.callbackAnswer(cb.id);
    if (answer?.text) this.note(answer.text);
    this.collect();
  }

  override lastInputDeleted(): boolean {
    this.collect();
    const m = this.d.fake.messages(this.numericId).find((x) => x.messageId === this.lastUserMessage && x.from === 'user');
    return Boolean(m?.deleted);
  }

  /** Moves new (or edited) bot messages from the fake into the inbox. */
  collect(): void {
    for (const m of this.d.fake.messages(this.numericId)) {
      if (m.from !== 'bot') continue;
      const seen = this.seen.get(m.messageId);
      if (seen && seen.edits >= m.edits) continue;
      // Removing a keyboard from an old screen is an edit too, but the person sees no new message.
      const content = `${m.kind}|${m.text ?? ''}|${m.caption ?? ''}|${m.photo ? createHash('sha1').update(m.photo).digest('hex') : ''}`;
      this.seen.set(m.messageId, { edits: m.edits, content });
      if (m.deleted || seen?.content === content) continue;
      const { message, refs } = toBotMessage(m);
      this.receive(message, refs);
    }
  }
}

function toBotMessage(m: FakeMessage): { message: BotMessage; refs: TgButton[][] } {
  const rows = m.keyboard ?? [];
  const buttons = rows.map((r) => r.map((b) => b.text));
  const refs = rows.map((r) => r.map((b) => ({ messageId: m.messageId, data: b.callback_data ?? '' })));
  if (m.kind === 'photo') return { message: { kind: 'image', text: m.caption ?? '', buttons }, refs };
  if (m.kind === 'document') return { message: { kind: 'file', text: m.caption ?? '', buttons, file: { name: m.document?.name ?? '', ...(m.document?.mime ? { mime: m.document.mime } : {}), content: m.document?.data ?? Buffer.alloc(0) } }, refs };
  return { message: { kind: 'text', text: m.text ?? '', buttons }, refs };
}

/**
 * Drives the real Telegram channel (grammY, long polling) against a local fake Bot API: the user's
 * messages and presses are Telegram updates, the bot's answers are read from the fake's chats.
 */
export class TelegramDriver implements Driver {
  readonly channel = 'telegram' as const;
  readonly engineChannel = 'telegram';
  fake!: FakeTelegram;
  private tg: TelegramChannel | undefined;
  private readonly chats = new Map<string, TelegramChat>();
  private readonly done = new Set<number>();
  private readonly waiters = new Set<() => void>();
  private static nextChat = 0;

  constructor(private readonly transcript: Transcript) {}

  async prepare(): Promise<Record<string, string>> {
    this.fake = await FakeTelegram.start();
    // Scripts type faster than people: the per-chat limit is raised (a script's env: may lower it).
    return this.fake.env({ TELEGRAM_CHAT_MESSAGES_PER_SECOND: '100' });
  }

  async close(): Promise<void> {
    await this.fake?.close();
  }

  async attach(app: App): Promise<void> {
    const tg = await TelegramChannel.start(channelPorts(app), undefined, { pollTimeoutSeconds: 1 });
    // Every update is counted from arrival to the last reply sent, so a step knows when the bot is done.
    const onUpdate = tg.onUpdate.bind(tg);
    tg.onUpdate = async (update) => {
      try {
        await onUpdate(update);
      } finally {
        this.done.add(update.update_id);
        for (const w of [...this.waiters]) w();
      }
    };
    this.tg = tg;
  }

  async detach(): Promise<void> {
    await this.tg?.stop();
    this.tg = undefined;
  }

  /** Waits until the channel has finished handling this update. */
  async waitFor(updateId: number): Promise<void> {
    if (this.done.has(updateId)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`the Telegram channel did not handle update ${updateId} within ${UPDATE_TIMEOUT_MS} ms${this.tg?.fatal ? ` (${this.tg.fatal})` : ''}`));
      }, UPDATE_TIMEOUT_MS);
      const check = () => {
        if (this.done.has(updateId)) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
    });
  }

  async chat(name: string): Promise<TelegramChat> {
    let c = this.chats.get(name);
    if (!c) {
      // Private chat ids are the user's id: unique per participant, across scripts in one process.
      const id = 5_000_000 + process.pid * 100 + ++TelegramDriver.nextChat * 7;
      c = new TelegramChat(name, id, this.transcript, this);
      // The person has opened the bot (Telegram lets a bot write only to such chats): a fixture
      // may log them in and notices may reach them before they type anything.
      (this.fake as unknown as { chat(id: number): unknown }).chat(id);
      this.chats.set(name, c);
    }
    return c;
  }

  async settle(): Promise<void> {
    for (const c of this.chats.values()) c.collect();
  }
}
