import { FakeChats } from './chats.js';
import { attachId, fileOf, keyboardOf, parseJsonish, str } from './http.js';
import { ApiError, type FakeCall, type FakeUpdate, type Poll } from './types.js';

/** The Bot API methods the fake answers (the middle layer of {@link FakeTelegram}). */
export abstract class FakeBotMethods extends FakeChats {
  protected readonly pending: FakeUpdate[] = [];
  protected readonly callbacks = new Map<string, { answered: boolean; text?: string; showAlert?: boolean }>();
  protected commands = new Map<string, { command: string; description: string }[]>();
  protected webhook: { url: string; secret?: string; allowed?: string[] } | undefined;
  protected poll: Poll | undefined;

  protected abstract answerPollConflict(description?: string): void;

  protected dispatch(method: string, p: Record<string, unknown>, files: FakeCall['files']): unknown {
    switch (method) {
      case 'getMe':
        return { ...this.botJson(), can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
      case 'setWebhook': {
        const url = str(p.url);
        if (!url) {
          this.webhook = undefined;
          return true;
        }
        if (!/^https?:\/\//.test(url)) throw new ApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        this.webhook = { url, ...(p.secret_token ? { secret: str(p.secret_token) } : {}), ...(Array.isArray(p.allowed_updates) ? { allowed: p.allowed_updates as string[] } : {}) };
        if (p.drop_pending_updates) this.pending.length = 0;
        if (this.poll) this.answerPollConflict("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        return true;
      }
      case 'deleteWebhook':
        this.webhook = undefined;
        if (p.drop_pending_updates) this.pending.length = 0;
        return true;
      case 'getWebhookInfo':
        return { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.pending.length };
      case 'setMyCommands': {
        const cmds = parseJsonish(p.commands) as { command: string; description: string }[];
        if (!Array.isArray(cmds)) throw new ApiError(400, 'Bad Request: commands must be an array');
        for (const c of cmds) {
          if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw new ApiError(400, 'Bad Request: BOT_COMMAND_INVALID');
          if (!c.description || c.description.length > 256) throw new ApiError(400, 'Bad Request: command description is empty or too long');
        }
        this.commands.set(str(p.language_code) ?? '', cmds);
        return true;
      }
      case 'getMyCommands':
        return this.commands.get(str(p.language_code) ?? '') ?? [];
      case 'sendChatAction':
        this.knownChat(p.chat_id);
        return true;
      case 'answerCallbackQuery': {
        const cb = this.callbacks.get(str(p.callback_query_id) ?? '');
        if (!cb) throw new ApiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        cb.answered = true;
        if (p.text !== undefined) cb.text = str(p.text);
        if (p.show_alert) cb.showAlert = true;
        return true;
      }
      case 'sendMessage': {
        const chat = this.knownChat(p.chat_id);
        const { text, entities } = this.formatted(p.text, p.parse_mode, 4096, 'message text');
        const msg = this.botMessage(chat, { kind: 'text', text, ...(entities ? { entities } : {}), keyboard: keyboardOf(p.reply_markup) });
        return this.messageJson(msg);
      }
      case 'sendPhoto': {
        const chat = this.knownChat(p.chat_id);
        const photo = fileOf(p.photo, files, 'photo');
        const caption = p.caption === undefined ? undefined : this.formatted(p.caption, p.parse_mode, 1024, 'caption');
        const msg = this.botMessage(chat, { kind: 'photo', photo, ...(caption ? { caption: caption.text, entities: caption.entities } : {}), keyboard: keyboardOf(p.reply_markup) });
        return this.messageJson(msg);
      }
      case 'sendDocument': {
        const chat = this.knownChat(p.chat_id);
        const f = fileOf(p.document, files, 'document');
        const name = files[attachId(p.document) ?? '']?.filename ?? 'document.dat';
        const caption = p.caption === undefined ? undefined : this.formatted(p.caption, p.parse_mode, 1024, 'caption');
        const msg = this.botMessage(chat, { kind: 'document', document: { name, data: f }, ...(caption ? { caption: caption.text, entities: caption.entities } : {}), keyboard: keyboardOf(p.reply_markup) });
        return this.messageJson(msg);
      }
      case 'editMessageText': {
        const msg = this.editable(p);
        if (msg.kind !== 'text') throw new ApiError(400, 'Bad Request: there is no text in the message to edit');
        const { text, entities } = this.formatted(p.text, p.parse_mode, 4096, 'message text');
        const keyboard = keyboardOf(p.reply_markup);
        if (text === msg.text && JSON.stringify(entities ?? []) === JSON.stringify(msg.entities ?? []) && JSON.stringify(keyboard ?? []) === JSON.stringify(msg.keyboard ?? []))
          throw new ApiError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        Object.assign(msg, { text, entities, keyboard, edits: msg.edits + 1 });
        this.edited(msg);
        return this.messageJson(msg);
      }
      case 'editMessageCaption': {
        const msg = this.editable(p);
        if (msg.kind === 'text') throw new ApiError(400, 'Bad Request: there is no caption in the message to edit');
        const caption = p.caption === undefined ? undefined : this.formatted(p.caption, p.parse_mode, 1024, 'caption');
        Object.assign(msg, { caption: caption?.text, entities: caption?.entities, keyboard: keyboardOf(p.reply_markup), edits: msg.edits + 1 });
        this.edited(msg);
        return this.messageJson(msg);
      }
      case 'editMessageMedia': {
        const msg = this.editable(p);
        const media = parseJsonish(p.media) as { type: string; media: string; caption?: string; parse_mode?: string };
        if (!media || typeof media !== 'object') throw new ApiError(400, 'Bad Request: media is required');
        if (msg.kind === 'text') throw new ApiError(400, "Bad Request: message can't be edited");
        const data = fileOf(media.media, files, 'media');
        const parsed = media.caption === undefined ? undefined : this.formatted(media.caption, media.parse_mode, 1024, 'caption');
        const caption = parsed?.text;
        if (media.type === 'photo') Object.assign(msg, { kind: 'photo', photo: data, document: undefined });
        else Object.assign(msg, { kind: 'document', document: { name: files[attachId(media.media) ?? '']?.filename ?? 'document.dat', data }, photo: undefined });
        Object.assign(msg, { caption, entities: parsed?.entities, keyboard: keyboardOf(p.reply_markup), edits: msg.edits + 1 });
        this.edited(msg);
        return this.messageJson(msg);
      }
      case 'editMessageReplyMarkup': {
        const msg = this.editable(p);
        const keyboard = keyboardOf(p.reply_markup);
        if (JSON.stringify(keyboard ?? []) === JSON.stringify(msg.keyboard ?? [])) throw new ApiError(400, 'Bad Request: message is not modified');
        Object.assign(msg, { keyboard, edits: msg.edits + 1 });
        this.edited(msg);
        return this.messageJson(msg);
      }
      case 'deleteMessage': {
        const chat = this.knownChat(p.chat_id);
        const msg = chat.messages.find((m) => m.messageId === Number(p.message_id));
        if (!msg || msg.deleted) throw new ApiError(400, 'Bad Request: message to delete not found');
        msg.deleted = true;
        return true;
      }
      default:
        throw new ApiError(404, 'Not Found: method not found');
    }
  }
}
