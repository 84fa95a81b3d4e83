import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.js';
import { sendPendingMail } from '../../../src/services/mail/sender.js';
import { dispatchNotices } from '../../../src/app/notices.js';
import { runPaymentsOnce } from '../../../src/services/payments/runner.js';
import { startTestSmtp, type TestSmtp } from '../../support/smtp.js';
import { FakeTelegram } from '../../support/fake-telegram.js';
import { newChatId, startBot, type BotProcess } from './harness.js';
import { standalone } from '../../support/secrets.js';

/** A password that must never show up in a log, a stored conversation, or the chat after reading. */
const CANARY = 'Canary-Pw-7319!xq';

/**
 * The cardholder's journey over Telegram, against the fake Bot API with grammY's real client: sign
 * up (the code arrives by real SMTP), activate through the e-mail's deep link, log in. Polling mode
 * on the embedded set-up, webhook mode on PostgreSQL + Redis.
 */
for (const [mode, setup] of [
  ['polling', { db: 'pglite', store: 'memory' }],
  ['webhook', { db: 'postgres', store: 'redis' }],
] as const) {
  describe(`Telegram journey in ${mode} mode on ${setup.db} + ${setup.store}`, () => {
    let fake: FakeTelegram;
    let smtp: TestSmtp;
    let bot: BotProcess;
    beforeAll(async () => {
      fake = await FakeTelegram.start();
      smtp = await startTestSmtp();
      bot = await startBot(fake, setup, { webhook: mode === 'webhook', env: { SMTP_URL: smtp.url } });
    });
    afterAll(async () => {
      await bot?.stop();
      await smtp?.stop();
      await fake?.close();
    });

    /** Sends what is queued and returns the newest mail the SMTP server received. */
    const deliver = async (n: number) => {
      await sendPendingMail(bot.app);
      await smtp.waitFor(n);
      return smtp.received[n - 1]!;
    };

    it('signs up, activates through the e-mailed deep link, logs in, enrolls, charges, checks balance and history with CSV; secrets are deleted from the chat', async () => {
      const chat = newChatId();
      const username = `tg${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
      const email = `${username}@example.com`;
      const says = (text: string) => {
        const u = fake.userSays(chat, text);
        return (u.message as { message_id: number }).message_id;
      };
      const deletedLater = async (id: number) => {
        await fake.settle(50);
        expect(fake.messages(chat).find((m) => m.messageId === id)!.deleted).toBe(true);
      };

      says('/start');
      await fake.waitForBot(chat, 'What would you like to do?');
      fake.press(chat, 'Sign up');
      await fake.waitForBot(chat, 'Choose a username');
      says(username);
      await fake.waitForBot(chat, 'e-mail');
      says(email);
      await fake.waitForBot(chat, 'name');
      says('Jane Doe');
      await fake.waitForBot(chat, 'password');
      const pw1 = says(CANARY);
      await fake.waitForBot(chat, 'again');
      await deletedLater(pw1);
      const pw2 = says(CANARY);
      const confirm = await fake.waitForBot(chat, 'check that the entered information is correct');
      await deletedLater(pw2);
      expect(confirm.text).toContain(username);
      expect(confirm.text).not.toContain(CANARY);

      // The CAPTCHA is a photo; [Reload] replaces the picture in place.
      fake.press(chat, 'Submit');
      const captcha = await fake.waitForBot(chat, (m) => m.kind === 'photo');
      expect(captcha.photo!.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
      const firstPicture = Buffer.from(captcha.photo!);
      fake.press(chat, 'Reload');
      const reloaded = await fake.waitForBot(chat, (m) => m.kind === 'photo');
      expect(reloaded.messageId).toBe(captcha.messageId);
      expect(reloaded.edits).toBe(1);
      expect(reloaded.photo!.equals(firstPicture)).toBe(false);
      says('TEST42');
      await fake.waitForBot(chat, 'activation code');

      // The verification e-mail, through real SMTP, links back to this bot.
      const mail = await deliver(1);
      expect(mail.envelopeTo).toEqual([email]);
      const link = new RegExp(`https://t\\.me/${fake.username}\\?start=(act_[A-Za-z0-9_-]+)`).exec(mail.text);
      expect(link).not.toBeNull();
      const code = /\b(\d{8})\b/.exec(mail.text)![1]!;

      // The link opens the bot with `/start act_…`: the flow knows whose activation it is.
      const phone = newChatId();
      fake.userSays(phone, `/start ${link![1]}`);
      await fake.waitForBot(phone, 'activation code');
      const codeMsg = (fake.userSays(phone, code).message as { message_id: number }).message_id;
      await fake.waitForBot(phone, (m) => m.kind === 'photo');
      expect(fake.messages(phone).find((m) => m.messageId === codeMsg)!.deleted).toBe(true);
      fake.userSays(phone, 'TEST42');
      await fake.waitForBot(phone, (m) => (m.keyboard ?? []).flat().some((b) => b.text === 'ACTIVATE'));
      fake.press(phone, 'ACTIVATE');
      await fake.waitForBot(phone, 'Activate success');

      // Log in from the first chat.
      says('/login');
      await fake.waitForBot(chat, 'username');
      says(username);
      await fake.waitForBot(chat, 'password');
      const pw3 = says(CANARY);
      await fake.waitForBot(chat, (m) => m.kind === 'photo');
      await deletedLater(pw3);
      says('TEST42');
      await fake.waitForBot(chat, (m) => (m.keyboard ?? []).flat().some((b) => b.text === 'CONTINUE'));
      fake.press(chat, 'CONTINUE');
      await fake.waitForBot(chat, `Welcome, ${username}`);

      const member = await bot.app.db.prisma.member.findUniqueOrThrow({ where: { usernameKey: username.toLowerCase() } });
      const linkRow = await bot.app.db.prisma.memberChat.findUniqueOrThrow({ where: { memberId: member.id } });
      expect(linkRow.chatKey).toBe(Engine.chatKey('telegram', String(chat)));

      // The operator issues a card (it comes by post); the member enrolls it in chat.
      const issued = await bot.app.services.cards.issue({ email, currency: 'JPY' });
      fake.skipBotMessages(chat);
      says('/enroll');
      await fake.waitForBot(chat, 'last 4 digits');
      says(issued.pinMailer.last4);
      await fake.waitForBot(chat, 'initial PIN');
      const pinMsg = says(issued.pinMailer.initialPin);
      await fake.waitForBot(chat, (m) => m.kind === 'photo');
      await deletedLater(pinMsg);
      says('TEST42');
      await fake.waitForBot(chat, (m) => (m.keyboard ?? []).flat().some((b) => b.text === 'ENROLL'));
      fake.press(chat, 'ENROLL');
      await fake.waitForBot(chat, `A card has been enrolled. (card ending ${issued.pinMailer.last4})`);
      expect(bot.app.logs.text).not.toMatch(standalone(issued.pinMailer.initialPin));

      // Charge the card (same currency), pay in the sandbox; the completion notice comes through Telegram.
      fake.skipBotMessages(chat);
      says('/charge');
      await fake.waitForBot(chat, '[Withdrawal currency]');
      fake.press(chat, 'JPY');
      await fake.waitForBot(chat, '[Charge currency]');
      fake.press(chat, 'JPY');
      await fake.waitForBot(chat, 'Enter the amount');
      says('5000');
      const quote = await fake.waitForBot(chat, 'Charged to the card: 5,000 JPY');
      expect(quote.keyboard!.flat().map((k) => k.text)).toContain('Confirm');
      fake.press(chat, 'Confirm');
      const received = await fake.waitForBot(chat, 'Charge received');
      const reference = /CH-[A-Z0-9]{8}/.exec(received.text!)![0];
      expect(await runPaymentsOnce(bot.app.services.money.charges)).toMatchObject({ confirmed: 1 });
      await fake.settle(50);
      expect(await dispatchNotices(bot.app)).toBeGreaterThanOrEqual(1);
      await fake.waitForBot(chat, `Charge completed: 5,000 JPY was charged to card •••• ${issued.pinMailer.last4} (reference ${reference})`);

      // Balance, then the history of this month with its CSV statement as a document.
      says('/balance');
      await fake.waitForBot(chat, '5,000 JPY');
      says('/history');
      await fake.waitForBot(chat, 'Enter the period');
      fake.press(chat, 'Last 7 days');
      const page = await fake.waitForBot(chat, 'Deposits and withdrawals');
      expect(page.text).toContain(`Charge ${reference}`);
      expect(page.keyboard!.flat().map((k) => k.text)).toContain('Download CSV');
      fake.press(chat, 'Download CSV');
      const csv = await fake.waitForBot(chat, (m) => m.kind === 'document');
      expect(csv.document!.name).toMatch(/\.csv$/);
      expect(csv.document!.data.toString('utf8')).toContain(issued.pinMailer.last4);
      expect(csv.caption).toBe('Your statement (CSV).');

      // A log-in from another chat ends this one's session; the notice reaches this chat through Telegram.
      fake.userSays(phone, '/login');
      await fake.waitForBot(phone, 'username');
      fake.userSays(phone, username);
      await fake.waitForBot(phone, 'password');
      fake.userSays(phone, CANARY);
      await fake.waitForBot(phone, (m) => m.kind === 'photo');
      fake.userSays(phone, 'TEST42');
      await fake.waitForBot(phone, (m) => (m.keyboard ?? []).flat().some((b) => b.text === 'CONTINUE'));
      fake.press(phone, 'CONTINUE');
      await fake.waitForBot(phone, `Welcome, ${username}`);
      expect(await dispatchNotices(bot.app)).toBeGreaterThanOrEqual(1);
      await fake.waitForBot(chat, 'logged in from another chat');

      // No secret in the logs or the stored conversation.
      expect(bot.app.logs.text).not.toContain(CANARY);
      expect(bot.app.logs.text).not.toMatch(standalone(code));
      const snap = await bot.app.store.loadSnapshot(Engine.chatKey('telegram', String(chat)));
      expect(snap!.data).not.toContain(CANARY);
    });
  });
}
