import type { Update } from 'grammy/types';
import type { Inbound } from '../../engine/types.js';

/** The channel name Telegram chats are keyed by (`telegram:<chat id>`). */
export const CHANNEL = 'telegram';

/** The update kinds the bot asks Telegram for (everything else is not delivered). */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** What an update means for the adapter. */
export type Translated =
  | { kind: 'inbound'; inbound: Inbound; callbackId?: string }
  /** A message from a group or channel: the person is asked to open a private chat. */
  | { kind: 'not-private'; chatId: string; callbackId?: string; langHint?: string }
  /** A press in a private chat by someone who is not that chat's person: refused, nothing done. */
  | { kind: 'wrong-person'; callbackId: string; langHint?: string }
  /** Nothing to do (service messages, updates of other kinds). */
  | { kind: 'ignore'; callbackId?: string };

/**
 * Turns a Telegram update into the engine's neutral event: text, `/command arg` (incl. deep links
 * `/start <payload>`), or a button press with the engine's opaque data and the id of the message
 * that carried the keyboard. `update_id` becomes `updateKey` so every process handles it once.
 */
export function translate(update: Update, botUsername?: string): Translated {
  const updateKey = `tg:${update.update_id}`;
  if (update.callback_query) {
    const q = update.callback_query;
    const chat = q.message?.chat;
    const langHint = q.from.language_code;
    if (!chat || q.data === undefined) return { kind: 'ignore', callbackId: q.id };
    if (chat.type !== 'private') return { kind: 'not-private', chatId: String(chat.id), callbackId: q.id, ...(langHint ? { langHint } : {}) };
    // A private chat's id is its person's user id; a press from anyone else (a forwarded or shared
    // keyboard, a crafted update) must not act in that chat, whatever the screen token says.
    if (q.from.id !== chat.id) return { kind: 'wrong-person', callbackId: q.id, ...(langHint ? { langHint } : {}) };
    return {
      kind: 'inbound',
      callbackId: q.id,
      inbound: { channel: CHANNEL, chatId: String(chat.id), messageId: String(q.message!.message_id), updateKey, kind: 'button', data: q.data, ...(langHint ? { langHint } : {}) },
    };
  }
  const m = update.message;
  if (!m) return { kind: 'ignore' };
  const langHint = m.from?.language_code;
  if (m.chat.type !== 'private') {
    // Only what is addressed to the bot gets the answer (joins, leaves and chatter do not).
    const addressed = typeof m.text === 'string' && (m.text.startsWith('/') || (botUsername !== undefined && m.text.includes(`@${botUsername}`)));
    return addressed ? { kind: 'not-private', chatId: String(m.chat.id), ...(langHint ? { langHint } : {}) } : { kind: 'ignore' };
  }
  if (m.from && m.from.id !== m.chat.id) return { kind: 'ignore' };
  const base = { channel: CHANNEL, chatId: String(m.chat.id), messageId: String(m.message_id), updateKey, ...(langHint ? { langHint } : {}) };
  const text = m.text;
  if (text === undefined) {
    // A photo, sticker, voice note or file: its kind only. A caption is never taken as an answer
    // (it could be a password typed under a photo, or an amount meant for something else).
    const media = m.photo ? 'photo' : m.sticker ? 'sticker' : m.voice || m.audio || m.video_note ? 'voice' : m.document ? 'document' : 'other';
    return { kind: 'inbound', inbound: { ...base, kind: 'media', media } };
  }
  const cmd = parseCommand(text, botUsername);
  if (cmd) return { kind: 'inbound', inbound: { ...base, kind: 'command', command: cmd.command, arg: cmd.arg } };
  return { kind: 'inbound', inbound: { ...base, kind: 'text', text } };
}

/**
 * Reads `/command@bot arg`. A command addressed to another bot (`/start@other_bot`) is plain text.
 * Telegram commands are Latin letters, digits and underscores, at most 32 characters.
 */
export function parseCommand(text: string, botUsername?: string): { command: string; arg: string } | null {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@(\w+))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return null;
  if (m[2] && botUsername && m[2].toLowerCase() !== botUsername.toLowerCase()) return null;
  return { command: m[1]!.toLowerCase(), arg: (m[3] ?? '').trim() };
}
