import type { Lang } from '../../flows/shared/protocol.js';
import type { Config } from '../config/config.js';
import type { Engine } from '../engine/engine.js';
import type { Outbound } from '../engine/types.js';
import type { Catalogue } from '../i18n/i18n.js';
import type { StateStore } from '../infra/store/store.js';
import type { Logger } from '../lib/logger.js';

/** Delivers rendered replies to one chat of a channel. */
export type ChatSender = (chatId: string, outbound: Outbound[]) => Promise<void>;

/**
 * What a chat channel may use: the engine for turns and the few ports the app gives it. Channels
 * never reach services or the database; everything a person does goes through the engine.
 */
export interface ChannelPorts {
  config: Config;
  log: Logger;
  engine: Engine;
  catalogue: Catalogue;
  /** De-duplication of updates the engine never sees (group chats). */
  store: Pick<StateStore, 'claimOnce'>;
  /** Lets the app deliver replies to this channel's chats outside a turn (notices); null removes it. */
  setSender(channel: string, sender: ChatSender | null): void;
  /** The bot's public username, for deep links built elsewhere (`t.me/<name>?start=…`). */
  setBotUsername(name: string): void;
  defaultLang: Lang;
}
