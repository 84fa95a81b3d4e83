import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUPS } from '../../support/db.js';
import { FakeTelegram } from '../../support/fake-telegram.js';
import { newChatId, startBot, type BotProcess } from './harness.js';

// Navigation screens (the dashboard, Help, the language choice) are edited in place when one of
// their buttons is pressed, as Telegram bots do, instead of piling up a new message per screen.
for (const setup of SETUPS) {
  describe(`navigation edits the screen in place on ${setup.db} + ${setup.store}`, () => {
    let fake: FakeTelegram;
    let bot: BotProcess;
    beforeAll(async () => {
      fake = await FakeTelegram.start();
      bot = await startBot(fake, setup);
    });
    afterAll(async () => {
      await bot?.stop();
      await fake?.close();
    });

    it('Help and Menu turn the dashboard message into Help and back without sending a new message', async () => {
      const chat = newChatId();
      fake.userSays(chat, '/start');
      await fake.waitForBot(chat, 'What would you like to do?');
      const dashboard = fake.messages(chat).at(-1)!;
      const count = fake.messages(chat).length;

      fake.press(chat, 'Help');
      await fake.waitForBot(chat, (m) => m.messageId === dashboard.messageId && m.edits === 1);
      const help = fake.messages(chat).find((m) => m.messageId === dashboard.messageId)!;
      expect(help.text).toContain('/cancel');
      expect(help.keyboard?.flat().map((b) => b.text)).toContain('Menu');
      expect(fake.messages(chat).length).toBe(count);

      fake.press(chat, 'Menu');
      await fake.waitForBot(chat, (m) => m.messageId === dashboard.messageId && m.edits === 2);
      expect(fake.messages(chat).find((m) => m.messageId === dashboard.messageId)!.text).toBe('What would you like to do?');
      expect(fake.messages(chat).length).toBe(count);
    });

    it('the language choice replaces the dashboard, and the confirmation is followed by a fresh dashboard below it', async () => {
      const chat = newChatId();
      fake.userSays(chat, '/start');
      await fake.waitForBot(chat, 'What would you like to do?');
      const dashboard = fake.messages(chat).at(-1)!;
      fake.press(chat, 'Language / 言語');
      await fake.waitForBot(chat, (m) => m.messageId === dashboard.messageId && m.edits === 1);
      expect(fake.messages(chat).find((m) => m.messageId === dashboard.messageId)!.keyboard?.flat().map((b) => b.text)).toEqual(['English', '日本語']);
      fake.press(chat, '日本語');
      await fake.waitForBot(chat, (m) => m.messageId > dashboard.messageId);
      await fake.settle(100);
      const edited = fake.messages(chat).find((m) => m.messageId === dashboard.messageId)!;
      expect(edited.edits).toBe(2);
      expect(edited.keyboard?.flat() ?? []).toEqual([]);
      const menu = fake.messages(chat).at(-1)!;
      expect(menu.messageId).toBeGreaterThan(dashboard.messageId);
      expect(menu.keyboard?.flat().length).toBeGreaterThan(0);
    });

  });
}
