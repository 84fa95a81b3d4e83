import type { ServerResponse } from 'node:http';

/** A formatting entity as the Bot API reports it (offsets and lengths in UTF-16 code units). */
export interface FakeEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

/** One recorded Bot API call. */
export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
  /** Uploaded files by form field name (multipart requests). */
  files: Record<string, { filename: string; data: Buffer }>;
  /** HTTP status the fake answered with. */
  status: number;
  at: number;
}

/** An inline keyboard button as the fake keeps it. */
export interface FakeButton {
  text: string;
  callback_data?: string;
  url?: string;
}

/** A message in a chat, as Telegram would show it now. */
export interface FakeMessage {
  messageId: number;
  chatId: number;
  from: 'bot' | 'user';
  kind: 'text' | 'photo' | 'document';
  text?: string;
  caption?: string;
  /** Formatting of the text or caption (bold, code …), as Telegram parsed it. */
  entities?: FakeEntity[];
  photo?: Buffer;
  document?: { name: string; mime?: string; data: Buffer };
  keyboard?: FakeButton[][];
  deleted: boolean;
  /** How many times the bot edited it. */
  edits: number;
  date: number;
}

/** A Telegram update as the fake sends it (shape of the Bot API's `Update`). */
export type FakeUpdate = { update_id: number } & Record<string, unknown>;

/** Options of {@link FakeTelegram.start}. */
export interface FakeTelegramOptions {
  token?: string;
  username?: string;
  /** Delay between webhook retries after a failed delivery. */
  webhookRetryMs?: number;
  /** Attempts per update before the fake gives up on a webhook delivery. */
  webhookAttempts?: number;
}

/** Who the user is, for updates the fake makes. */
export interface FakeUserOptions {
  chatType?: 'private' | 'group' | 'supergroup';
  languageCode?: string;
  firstName?: string;
  userId?: number;
}

export interface Failure {
  count: number;
  code: number;
  description: string;
  retryAfter?: number;
}

export interface Poll {
  res: ServerResponse;
  timer: NodeJS.Timeout;
  limit: number;
  allowed?: string[];
}

/** A Bot API error answer: HTTP code, description, optional `retry_after`. */
export class ApiError extends Error {
  constructor(readonly code: number, description: string, readonly retryAfter?: number) {
    super(description);
  }
}

export const BOT_ID = 777000111;

/** The fake Bot API server. */
