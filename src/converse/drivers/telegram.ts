import type { App } from '../../app/app.js';
import type { ChatHandle, Driver, Transcript } from './driver.js';

/** Drives the Telegram adapter through a fake Bot API (grammY's real HTTP client talks to it). */
export class TelegramDriver implements Driver {
  readonly channel = 'telegram' as const;
  readonly engineChannel = 'telegram';
  constructor(private readonly transcript: Transcript) {}
  async attach(_app: App): Promise<void> {
    throw new Error('the Telegram channel is not available yet');
  }
  async detach(): Promise<void> {}
  async chat(_name: string): Promise<ChatHandle> {
    throw new Error('the Telegram channel is not available yet');
  }
  async settle(): Promise<void> {}
}
