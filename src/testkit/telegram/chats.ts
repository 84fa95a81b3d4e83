import { parseTelegramHtml, type FakeEntity } from './html.js';
import { ApiError, BOT_ID, type FakeMessage, type FakeTelegramOptions, type FakeUserOptions } from './types.js';
import { now, str } from './http.js';

/** One chat as the fake keeps it: its messages, and the bot's sends and edits for waiters. */
export interface FakeChat {
  type: string;
  messages: FakeMessage[];
  nextId: number;
  events: { type: 'send' | 'edit'; message: FakeMessage }[];
  cursor: number;
  firstName: string;
  userId: number;
  lang?: string;
}

/** The fake's chats and messages, and their Bot API JSON (the bottom layer of {@link FakeTelegram}). */
export class FakeChats {
  readonly token: string;
  readonly username: string;
  protected readonly chats = new Map<number, FakeChat>();

  constructor(protected readonly o: FakeTelegramOptions) {
    this.token = o.token ?? '123456:TEST-fake-token';
    this.username = o.username ?? 'omnipay_test_bot';
  }

  protected chat(chatId: number, o: FakeUserOptions = {}) {
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { type: o.chatType ?? (chatId < 0 ? 'group' : 'private'), messages: [], nextId: 1, events: [], cursor: 0, firstName: o.firstName ?? 'Test', userId: o.userId ?? Math.abs(chatId), ...(o.languageCode ? { lang: o.languageCode } : {}) };
      this.chats.set(chatId, chat);
    } else if (o.languageCode) chat.lang = o.languageCode;
    return chat;
  }

  /** Notes an edit of a bot message, for `waitForBot`. */
  protected edited(msg: FakeMessage): void {
    this.chat(msg.chatId).events.push({ type: 'edit', message: msg });
  }

  protected knownChat(id: unknown) {
    const chat = this.chats.get(Number(id));
    if (!chat) throw new ApiError(400, 'Bad Request: chat not found');
    return chat;
  }

  protected editable(p: Record<string, unknown>): FakeMessage {
    const chat = this.knownChat(p.chat_id);
    const msg = chat.messages.find((m) => m.messageId === Number(p.message_id) && m.from === 'bot');
    if (!msg || msg.deleted) throw new ApiError(400, 'Bad Request: message to edit not found');
    return msg;
  }

  protected botMessage(chat: FakeChat, m: Partial<FakeMessage> & { kind: FakeMessage['kind'] }): FakeMessage {
    const chatId = [...this.chats.entries()].find(([, c]) => c === chat)![0];
    const msg: FakeMessage = { messageId: chat.nextId++, chatId, from: 'bot', deleted: false, edits: 0, date: now(), ...m };
    if (!msg.keyboard) delete msg.keyboard;
    chat.messages.push(msg);
    chat.events.push({ type: 'send', message: msg });
    return msg;
  }

  /** Checks text like Telegram (not empty, not too long, parse mode well formed) and returns it as shown. */
  /** Text or a caption as Telegram keeps it: parsed when `parse_mode` is HTML, ≤ `max` characters after parsing. */
  protected formatted(value: unknown, parseMode: unknown, max: number, what: string): { text: string; entities?: FakeEntity[] } {
    const raw = str(value) ?? '';
    let shown = raw;
    let entities: FakeEntity[] | undefined;
    if (parseMode === 'HTML') ({ text: shown, entities } = parseTelegramHtml(raw));
    else if (parseMode !== undefined) throw new ApiError(400, `Bad Request: unsupported parse_mode ${String(parseMode)} in this fake`);
    if (!shown.trim()) throw new ApiError(400, `Bad Request: ${what} is empty`);
    if (shown.length > max) throw new ApiError(400, `Bad Request: ${what} is too long`);
    return { text: shown, ...(entities?.length ? { entities } : {}) };
  }

  protected userJson(chatId: number) {
    const chat = this.chat(chatId);
    return { id: chat.userId, is_bot: false, first_name: chat.firstName, ...(chat.lang ? { language_code: chat.lang } : {}) };
  }

  protected botJson() {
    return { id: BOT_ID, is_bot: true, first_name: 'OMNIPAY', username: this.username };
  }

  protected messageJson(m: FakeMessage): Record<string, unknown> {
    const chat = this.chat(m.chatId);
    const chatJson = chat.type === 'private' ? { id: m.chatId, type: 'private', first_name: chat.firstName } : { id: m.chatId, type: chat.type, title: 'A group' };
    const out: Record<string, unknown> = { message_id: m.messageId, date: m.date, chat: chatJson, from: m.from === 'bot' ? this.botJson() : this.userJson(m.chatId) };
    if (m.edits) out.edit_date = now();
    if (m.kind === 'text') out.text = m.text;
    if (m.kind === 'photo') out.photo = [{ file_id: `photo-${m.chatId}-${m.messageId}-${m.edits}`, file_unique_id: `p${m.messageId}`, width: 200, height: 80, file_size: m.photo?.length ?? 0 }];
    if (m.kind === 'document') out.document = { file_id: `doc-${m.chatId}-${m.messageId}`, file_unique_id: `d${m.messageId}`, file_name: m.document?.name, file_size: m.document?.data.length ?? 0 };
    if (m.caption) out.caption = m.caption;
    if (m.entities?.length) out[m.kind === 'text' ? 'entities' : 'caption_entities'] = m.entities;
    if (m.keyboard) out.reply_markup = { inline_keyboard: m.keyboard };
    return out;
  }
}
