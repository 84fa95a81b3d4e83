import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.js';
import { SETUPS } from '../../support/db.js';
import { FakeTelegram } from '../../support/fake-telegram.js';
import { counterEntry } from '../../engine/test-flow.js';
import { WEBHOOK_SECRET, newChatId, startBot, type BotProcess } from './harness.js';
import { png, telegramTestFlows } from './tg-flows.js';

for (const setup of SETUPS) {
  for (const mode of ['polling', 'webhook'] as const) {
    describe(`Telegram ${mode} on ${setup.db} + ${setup.store}`, () => {
      let fake: FakeTelegram;
      let bot: BotProcess;
      beforeAll(async () => {
        fake = await FakeTelegram.start();
        bot = await startBot(fake, setup, { webhook: mode === 'webhook', overrides: { flows: [counterEntry(450), ...telegramTestFlows()] } });
      });
      afterAll(async () => {
        await bot?.stop();
        await fake?.close();
      });

      it('starts with getMe, sets the command menu in English and Japanese, and greets with the dashboard keyboard', async () => {
        expect(bot.channel.me.username).toBe(fake.username);
        expect(bot.app.botUsername).toBe(fake.username);
        expect(fake.myCommands().map((c) => c.command)).toEqual(['start', 'menu', 'help', 'support', 'cancel', 'logout', 'language']);
        expect(fake.myCommands('ja')[0]!.description).toMatch(/[\u3040-\u30ff]/);
        if (mode === 'webhook') expect(fake.webhookInfo).toEqual({ url: bot.webhookUrl, secret: WEBHOOK_SECRET, allowed: ['message', 'callback_query'] });
        else expect(fake.webhookInfo).toBeUndefined();

        const chat = newChatId();
        fake.userSays(chat, '/start');
        expect((await fake.nextBotMessage(chat)).text).toContain('Welcome to OMNIPAY');
        const menu = await fake.nextBotMessage(chat);
        expect(menu.text).toBe('What would you like to do?');
        expect(menu.keyboard?.flat().length).toBeGreaterThan(0);
        fake.userSays(chat, '/help');
        expect((await fake.nextBotMessage(chat)).text).toContain('/cancel');
      });

      it('follows the language Telegram reports and switches with /language', async () => {
        const chat = newChatId();
        fake.userSays(chat, '/start', { languageCode: 'ja' });
        expect((await fake.nextBotMessage(chat)).text).toContain('ようこそ');
        fake.skipBotMessages(chat);
        fake.userSays(chat, '/language');
        await fake.waitForBot(chat, '言語を選んでください');
        fake.press(chat, 'English');
        await fake.waitForBot(chat, 'Language set to English');
      });

      it('deletes a message that carried a secret, shows typing on a slow step, and answers every press', async () => {
        const chat = newChatId();
        fake.userSays(chat, '/counter');
        await fake.waitForBot(chat, 'test-count');
        fake.userSays(chat, 'secret');
        await fake.waitForBot(chat, 'test-ask-secret');
        const secret = fake.userSays(chat, 'hunter2-canary');
        const secretId = (secret.message as { message_id: number }).message_id;
        const hashed = await fake.waitForBot(chat, 'test-hashed');
        const userMsg = fake.messages(chat).find((m) => m.messageId === secretId)!;
        expect(userMsg.deleted).toBe(true);
        expect(fake.calls('deleteMessage').some((c) => Number(c.params.message_id) === secretId && Number(c.params.chat_id) === chat)).toBe(true);
        // The hashing step takes 450 ms: the chat showed "typing…" meanwhile.
        expect(fake.calls('sendChatAction').some((c) => Number(c.params.chat_id) === chat && c.params.action === 'typing')).toBe(true);
        expect(bot.app.logs.text).not.toContain('hunter2-canary');
        const stored = await bot.app.store.loadSnapshot(Engine.chatKey('telegram', String(chat)));
        expect(stored!.data).not.toContain('hunter2-canary');

        const press = fake.press(chat, 'OK');
        await fake.waitForBot(chat, 'What would you like to do?');
        await fake.settle(50);
        expect(fake.callbackAnswer((press.callback_query as { id: string }).id)).toMatchObject({ answered: true });
        // The old keyboard is stale now: pressing it again is answered as expired and changes nothing.
        const stale = fake.pressData(chat, hashed.messageId, hashed.keyboard![0]![0]!.callback_data!);
        await fake.settle(100);
        expect(fake.callbackAnswer((stale.callback_query as { id: string }).id)).toMatchObject({ answered: true, text: expect.stringContaining('expired') });
      });

      it('sends pictures as photos, replaces one in place on [Reload], sends a CSV as a document, and passes deep-link payloads', async () => {
        const chat = newChatId();
        fake.userSays(chat, '/start pic_tok123');
        await fake.waitForBot(chat, 'picture for tok123');
        const photo = await fake.nextBotMessage(chat);
        expect(photo).toMatchObject({ kind: 'photo', caption: 'picture 1' });
        expect(photo.photo!.equals(png(1))).toBe(true);
        fake.press(chat, 'reload');
        await fake.settle(100);
        const same = fake.messages(chat).find((m) => m.messageId === photo.messageId)!;
        expect(same).toMatchObject({ kind: 'photo', caption: 'picture 2', edits: 1, deleted: false });
        expect(same.photo!.equals(png(2))).toBe(true);
        expect(fake.calls('editMessageMedia').length).toBeGreaterThan(0);
        fake.press(chat, 'csv');
        const doc = await fake.waitForBot(chat, (m) => m.kind === 'document');
        expect(doc.document!.name).toBe('history.csv');
        expect(doc.document!.data.toString()).toContain('date,amount');
        expect(doc.caption).toBe('your csv');
      });

      it('refuses a press from another Telegram user in a private chat with an alert, and the chat does not move', async () => {
        const chat = newChatId();
        fake.userSays(chat, '/counter');
        await fake.waitForBot(chat, 'test-count');
        fake.userSays(chat, 'secret');
        await fake.waitForBot(chat, 'test-ask-secret');
        fake.userSays(chat, 'not-really-secret');
        const screen = await fake.waitForBot(chat, 'test-hashed');
        await fake.settle(50);
        const key = Engine.chatKey('telegram', String(chat));
        const before = (await bot.app.store.loadSnapshot(key))!;
        const said = fake.botTexts(chat).length;
        const ok = screen.keyboard![0]![0]!.callback_data!;
        const forged = fake.pressData(chat, screen.messageId, ok, { fromUserId: chat + 1 });
        await fake.settle(100);
        expect(fake.callbackAnswer((forged.callback_query as { id: string }).id)).toEqual({ answered: true, text: expect.stringContaining('someone else'), showAlert: true });
        expect((await bot.app.store.loadSnapshot(key))!.version).toBe(before.version);
        expect(fake.botTexts(chat)).toHaveLength(said);
        // The chat's own person pressing the same button is acted on: the screen token still holds.
        fake.pressData(chat, screen.messageId, ok);
        await fake.waitForBot(chat, 'What would you like to do?');
      });

      it('tells a group to open a private chat and does not run a conversation there', async () => {
        const group = -Math.abs(newChatId());
        fake.userSays(group, '/start', { chatType: 'group' });
        const m = await fake.nextBotMessage(group);
        expect(m.text).toContain('private chat');
        await fake.settle(50);
        expect(await bot.app.store.loadSnapshot(Engine.chatKey('telegram', String(group)))).toBeNull();
      });
    });
  }
}
