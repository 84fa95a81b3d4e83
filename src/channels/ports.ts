import type { Lang } from '../../flows/shared/protocol.js';
import type { Config } from '../config/config.js';
import type { Engine } from '../engine/engine.js';
import type { ChatSender } from '../engine/delivery.js';
import type { Catalogue } from '../i18n/i18n.js';
import type { StateStore, TokenBucket } from '../infra/store/store.js';
import type { Logger } from '../lib/logger.js';

export type { ChatSender } from '../engine/delivery.js';

/**
 * What a chat channel may use: the engine for turns and the few ports the app gives it. Channels
 * never reach services or the database; everything a person does goes through the engine.
 */
export interface ChannelPorts {
  config: Config;
  log: Logger;
  engine: Engine;
  catalogue: Catalogue;
  /** De-duplication of updates the engine never sees (group chats), and the bot's shared rate limits. */
  store: Pick<StateStore, 'claimOnce' | 'acquire'>;
  /** How the outbound queues reach this channel's chats (replies and notices alike); null removes it. */
  setSender(channel: string, sender: ChatSender | null, budget?: (chatId: string) => TokenBucket[]): void;
  /** The bot's public username, for deep links built elsewhere (`t.me/<name>?start=…`). */
  setBotUsername(name: string): void;
  defaultLang: Lang;
  /**
   * The channel cannot go on (e.g. another process polls the bot): health turns bad and the
   * assistant stops with a non-zero exit, so a supervisor starts it again.
   */
  fatal(reason: string): void;
}
