import type { Transformer } from 'grammy';
import { currentDelivery, DeliveryError } from '../../engine/delivery.js';
import type { StateStore, TokenBucket } from '../../infra/store/store.js';

/** Bot API methods that send or edit a message: what Telegram's flood limits count. */
export const LIMITED_METHODS = new Set([
  'sendMessage', 'sendPhoto', 'sendDocument', 'sendMediaGroup', 'sendAnimation', 'sendVideo', 'sendAudio', 'sendVoice', 'sendSticker', 'sendLocation', 'sendContact', 'sendPoll', 'sendDice',
  'copyMessage', 'copyMessages', 'forwardMessage', 'forwardMessages',
  'editMessageText', 'editMessageCaption', 'editMessageMedia', 'editMessageReplyMarkup', 'editMessageLiveLocation',
]);

/** The bot's limits: messages a second for the whole bot, and per chat a burst then about one a second. */
export interface TelegramLimits {
  perSecond: number;
  chatBurst: number;
  chatPerSecond: number;
  /** Groups: Telegram allows about 20 a minute. */
  groupPerMinute: number;
  /** Share of the bot's budget notices may use at most, so replies to a person's action always get the rest. */
  noticeShare: number;
  /** A wait longer than this inside a delivery goes back to the chat's queue instead of holding it. */
  maxWaitMs: number;
}

/** Telegram's published limits for an ordinary bot (the bot's and a private chat's rates configurable). */
export function defaultLimits(perSecond: number, chatPerSecond = 1): TelegramLimits {
  return { perSecond, chatBurst: 3, chatPerSecond, groupPerMinute: 20, noticeShare: 0.8, maxWaitMs: 5_000 };
}

/** The buckets a reply to a chat draws from: the bot's (one token, evenly spaced) and the chat's. */
export function replyBuckets(limits: TelegramLimits, chatId: string | undefined): TokenBucket[] {
  const buckets: TokenBucket[] = [{ key: 'tg:bot', perSecond: limits.perSecond, burst: 1 }];
  if (chatId === undefined) return buckets;
  const group = Number(chatId) < 0;
  buckets.push(group ? { key: `tg:chat:${chatId}`, perSecond: limits.groupPerMinute / 60, burst: 3 } : { key: `tg:chat:${chatId}`, perSecond: limits.chatPerSecond, burst: limits.chatBurst });
  return buckets;
}

/**
 * One rate limiter for the bot across every process (token buckets in the shared store): each call
 * that sends or edits a message waits for a token of the bot's budget and of its chat's. The bot's
 * bucket holds one token, so calls are spaced evenly and no second ever sees more than the limit.
 * Notices also need a token of a smaller budget (`noticeShare`), so replies to a person's tap always
 * have the rest of the bot's budget when notices pile up.
 * Inside a delivery, a long wait is handed back to the outbound queue (DeliveryError with the wait).
 */
export function rateLimiter(store: Pick<StateStore, 'acquire'>, limits: TelegramLimits): Transformer {
  return async (prev, method, payload, signal) => {
    const delivery = currentDelivery();
    if (LIMITED_METHODS.has(method) && delivery && delivery.prepaid > 0) {
      // Paid for by the turn's commit (same buckets), in the same round trip.
      delivery.prepaid--;
    } else if (LIMITED_METHODS.has(method)) {
      const chat = (payload as { chat_id?: number | string }).chat_id;
      const buckets = replyBuckets(limits, chat === undefined ? undefined : String(chat));
      if (delivery?.kind === 'notice') buckets.push({ key: 'tg:bot:notices', perSecond: limits.perSecond * limits.noticeShare, burst: 1 });
      for (;;) {
        const wait = await store.acquire(buckets, 1);
        if (wait === 0) break;
        if (currentDelivery() && wait > limits.maxWaitMs) throw new DeliveryError(`rate limit: next ${method} in ${wait} ms`, false, wait);
        if (signal?.aborted) throw new Error('aborted while waiting for the rate limit');
        await new Promise((r) => setTimeout(r, Math.min(wait, 1_000)));
      }
    }
    return prev(method, payload, signal);
  };
}
