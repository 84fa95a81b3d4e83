import { GrammyError, InputFile, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { OutButton, Outbound } from '../../engine/types.js';
import { htmlToText, splitHtml } from '../../lib/html.js';
import type { Logger } from '../../lib/logger.js';

const TEXT_MAX = 4096;
const CAPTION_MAX = 1024;

/** Telegram's inline keyboard for the engine's buttons (callback_data is the engine's opaque data). */
export function keyboard(rows: OutButton[][] | undefined): InlineKeyboardMarkup | undefined {
  if (!rows?.length) return undefined;
  return { inline_keyboard: rows.map((row) => row.map((b) => ({ text: b.label, callback_data: b.data }))) };
}

/** Splits text longer than Telegram allows at line breaks (or hard, when a line is too long). */
export function splitText(text: string, max = TEXT_MAX): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = max;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest) parts.push(rest);
  return parts;
}

/**
 * The parts of a text reply as Telegram gets them: HTML (split between lines, each part ≤ 4,096
 * characters after entity parsing and balanced on its own) when the reply has markup, else plain.
 */
export function textParts(text: string, html: string | undefined): { parts: string[]; opts: { parse_mode?: 'HTML' } } {
  return html ? { parts: splitHtml(html, TEXT_MAX), opts: { parse_mode: 'HTML' } } : { parts: splitText(text), opts: {} };
}

/** A caption that fits (≤ 1,024 visible characters), HTML when it has markup; else undefined. */
function captionFor(caption: string | undefined, html: string | undefined): { caption: string; parse_mode?: 'HTML' } | undefined {
  if (html && htmlToText(html).length <= CAPTION_MAX) return { caption: html, parse_mode: 'HTML' };
  if (caption && caption.length <= CAPTION_MAX) return { caption };
  return undefined;
}

/** Sends a caption too long for a photo or document as messages after it. */
async function sendLongCaption(api: Api, chat: number, caption: string | undefined, html: string | undefined): Promise<void> {
  if (!caption) return;
  const { parts, opts } = textParts(caption, html);
  for (const part of parts) await api.sendMessage(chat, part, opts);
}

/** Is this a Bot API refusal whose description contains `text`? */
function refused(err: unknown, text: string): boolean {
  return err instanceof GrammyError && err.description.toLowerCase().includes(text);
}

/**
 * Shows the engine's replies in a Telegram chat, in order: texts (with inline keyboards), edits of
 * the screen a button was pressed on, photos, documents, and deletion of messages that carried a
 * secret. Throws when Telegram finally refuses (after the auto-retry transformer gave up), so a
 * caller that must not lose a message (the notice queue) retries later.
 */
export async function render(api: Api, chatId: string, outbound: Outbound[], log?: Logger): Promise<void> {
  const chat = Number(chatId);
  for (const o of outbound) {
    switch (o.kind) {
      case 'text': {
        const { parts, opts: mode } = textParts(o.text, o.html);
        const markup = keyboard(o.buttons);
        for (const [i, part] of parts.entries()) {
          const last = i === parts.length - 1;
          const opts = last && markup ? { ...mode, reply_markup: markup } : mode;
          if (i === 0 && o.editOf && (await editText(api, chat, Number(o.editOf), part, last ? markup : undefined, mode))) continue;
          await api.sendMessage(chat, part, opts);
        }
        break;
      }
      case 'image': {
        const markup = keyboard(o.buttons);
        const cap = captionFor(o.caption, o.captionHtml);
        const photo = new InputFile(o.png, 'image.png');
        let done = false;
        if (o.editOf) {
          try {
            await api.editMessageMedia(chat, Number(o.editOf), { type: 'photo', media: photo, ...(cap ?? {}) }, markup ? { reply_markup: markup } : {});
            done = true;
          } catch (err) {
            // The screen was a text message (or is gone): a photo cannot replace it, so it is sent anew.
            if (!(err instanceof GrammyError) || err.error_code !== 400) throw err;
            log?.debug({ err: err.description }, 'telegram: photo edit refused; sending anew');
            await clearKeyboard(api, chat, Number(o.editOf));
          }
        }
        if (!done) await api.sendPhoto(chat, new InputFile(o.png, 'image.png'), { ...(cap ?? {}), ...(markup ? { reply_markup: markup } : {}) });
        if (!cap) await sendLongCaption(api, chat, o.caption, o.captionHtml);
        break;
      }
      case 'file': {
        const cap = captionFor(o.caption, o.captionHtml);
        await api.sendDocument(chat, new InputFile(o.content, o.name), cap ?? {});
        if (!cap) await sendLongCaption(api, chat, o.caption, o.captionHtml);
        break;
      }
      case 'delete':
        try {
          await api.deleteMessage(chat, Number(o.messageId));
        } catch (err) {
          // Already gone (the user deleted it) or too old to delete: nothing more can be done.
          if (refused(err, 'message to delete not found') || refused(err, "message can't be deleted")) {
            log?.debug({ chat: chatId }, 'telegram: message to delete was already gone');
          } else throw err;
        }
        break;
    }
  }
}

/**
 * Replaces the text (and keyboard) of the screen a button was pressed on. False when that message
 * cannot take text (it is a photo, or is gone), so the caller sends a new message instead.
 */
async function editText(api: Api, chat: number, messageId: number, text: string, markup: InlineKeyboardMarkup | undefined, mode: { parse_mode?: 'HTML' }): Promise<boolean> {
  try {
    await api.editMessageText(chat, messageId, text, markup ? { ...mode, reply_markup: markup } : mode);
    return true;
  } catch (err) {
    if (refused(err, 'message is not modified')) return true;
    if (err instanceof GrammyError && err.error_code === 400) {
      await clearKeyboard(api, chat, messageId);
      return false;
    }
    throw err;
  }
}

/** Takes the buttons off an old screen that could not be edited, so nobody presses them again. */
async function clearKeyboard(api: Api, chat: number, messageId: number): Promise<void> {
  await api.editMessageReplyMarkup(chat, messageId).catch(() => undefined);
}
