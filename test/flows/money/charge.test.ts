import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchNotices } from '../../../src/app/notices.js';
import { sendPendingMail } from '../../../src/services/mail/sender.js';
import { runPaymentsOnce } from '../../../src/services/payments/runner.js';
import { setRate } from '../../../src/services/fx/rates.js';
import { verifyLedger } from '../../../src/services/ledger/index.js';
import { memberWithCards, sessionFor, type MemberFixture } from '../../support/cards.js';
import { SETUPS } from '../../support/db.js';
import { TestChat, testApp, type TestApp } from '../../support/app.js';
import { startTestSmtp, type TestSmtp } from '../../support/smtp.js';

for (const setup of SETUPS) {
  describe(`Card Charge on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    let smtp: TestSmtp;

    beforeAll(async () => {
      smtp = await startTestSmtp();
      app = await testApp(setup, { SMTP_URL: smtp.url });
      await setRate(app.db, { base: 'JPY', quote: 'USD', rate: '0.0066', spreadBps: 100, feeBps: 200, setBy: 'test', at: app.clock.now() });
    });
    afterAll(async () => {
      await app?.close();
      await smtp?.stop();
    });

    async function loggedIn(m?: MemberFixture): Promise<{ chat: TestChat; m: MemberFixture }> {
      const member = m ?? (await memberWithCards(app.db));
      const chat = new TestChat(app);
      await app.engine.setSession('test', chat.chatId, sessionFor(member, app.clock.now().getTime()));
      return { chat, m: member };
    }

    async function toQuote(chat: TestChat, amount: string, from = 'JPY', to = 'USD') {
      await chat.send('/charge');
      expect(chat.texts.join('\n')).toContain('[Withdrawal currency]');
      await chat.press(from);
      expect(chat.texts.join('\n')).toContain('[Charge currency]');
      await chat.press(to);
      await chat.send(amount);
    }

    it('charges JPY → USD end to end: quote, confirm, sandbox payment, notice, e-mail over SMTP, ledger', async () => {
      const { chat, m } = await loggedIn();
      await toQuote(chat, '12.505');
      expect(chat.texts.join('\n')).toContain('Too many decimal places');
      await chat.send('100');
      const quote = chat.texts.join('\n');
      expect(quote).toContain('Check that the selected and entered information is correct');
      // 100.00 USD at 0.0066 less 1% spread needs 15,305 JPY; with the 2% fee (rounded up) 15,618 JPY.
      expect(quote).toContain('You pay: 15,618 JPY (fee included: 313 JPY)');
      expect(quote).toContain('Charged to the card: 100.00 USD');
      expect(quote).toContain('Rate: 1 JPY = 0.006534 USD');
      expect(quote).toContain('10 minutes');
      expect(chat.buttons).toEqual(['Confirm', 'Change', 'Cancel']);
      await chat.press('Confirm');
      const received = chat.texts.join('\n');
      expect(received).toMatch(/Charge received\. Reference: CH-[A-Z0-9]{8}/);
      expect(received).toContain('How to pay');
      const reference = /CH-[A-Z0-9]{8}/.exec(received)![0];
      // The chat is free again: the balance shows the pending charge.
      await chat.send('/balance');
      expect(chat.texts.join('\n')).toContain('0.00 USD (pending charge: 100.00 USD)');

      expect(await runPaymentsOnce(app.services.money.charges)).toEqual({ confirmed: 1, expired: 0 });
      expect(await runPaymentsOnce(app.services.money.charges)).toEqual({ confirmed: 0, expired: 0 });
      await dispatchNotices(app);
      expect(chat.delivered.join('\n')).toContain(`Charge completed: 100.00 USD was charged to card •••• ${m.last4s[0]} (reference ${reference})`);
      await sendPendingMail(app);
      await smtp.waitFor(1);
      const mail = smtp.received.find((r) => r.text.includes(reference))!;
      expect(mail.subject).toBe('[Card Charge Completion Notification]');
      expect(mail.envelopeTo).toEqual([m.email]);
      expect(mail.text).toContain('Charged to the card: 100.00 USD');
      expect(mail.text).toContain('Paid: 15,618 JPY (fee included: 313 JPY)');

      await chat.send('/balance');
      expect(chat.texts.join('\n')).toContain('• 100.00 USD');
      const acc = (code: string) => app.db.prisma.ledgerAccount.findUnique({ where: { code } }).then((a) => a?.balance);
      expect(await acc(`card:${m.cardIds[0]}:USD`)).toBe(10000n);
      expect(await acc('fee:JPY')).toBeGreaterThanOrEqual(313n);
      // Spread: 15,305 JPY at mid 0.0066 = 101.01 USD; 1.01 USD of it is revenue.
      expect(await app.db.prisma.posting.findMany({ where: { entry: { memo: reference } }, include: { account: true } }).then((ps) => Object.fromEntries(ps.map((p) => [p.account.code.replace(m.cardIds[0]!, 'CARD'), p.amount]))))
        .toEqual({ 'funding:JPY': -15618n, 'fee:JPY': 313n, 'fx:JPY': 15305n, 'fx:USD': -10101n, 'fee:USD': 101n, 'card:CARD:USD': 10000n });
      expect((await verifyLedger(app.db)).violations).toEqual([]);
    });

    it('re-quotes a quote that expired before [Confirm] instead of honouring it', async () => {
      const { chat } = await loggedIn();
      await toQuote(chat, '15000 JPY');
      expect(chat.texts.join('\n')).toContain('You pay: 15,000 JPY (fee included: 300 JPY)');
      app.clock.advance(10 * 60_000 + 1);
      await chat.press('Confirm');
      expect(chat.texts.join('\n')).toContain('That quote has expired, so here is a new one');
      expect(chat.texts.join('\n')).toContain('You pay: 15,000 JPY');
      expect(await app.db.prisma.charge.count({ where: { memberId: (await app.db.prisma.quote.findFirst({ orderBy: { createdAt: 'desc' } }))!.memberId } })).toBe(0);
      await chat.press('Confirm');
      expect(chat.texts.join('\n')).toContain('Charge received');
    });

    it('keeps the flow where it was for bad amounts and limits, and ends it for a stale rate (alert)', async () => {
      const { chat } = await loggedIn();
      await toQuote(chat, '-5');
      expect(chat.texts.join('\n')).toContain('must be positive');
      await chat.send('100 EUR');
      expect(chat.texts.join('\n')).toContain('Please use JPY or USD');
      await chat.send('5');
      expect(chat.texts.join('\n')).toContain('The minimum charge is 10.00 USD');
      // Named in dollars it is over the maximum; the same number in yen would fit, and the chat says so.
      await chat.send('99999 USD');
      expect(chat.texts.join('\n')).toContain('The maximum per charge is 5,000.00 USD');
      expect(chat.texts.join('\n')).toContain('Read as 99999 JPY instead');
      await chat.send('abc');
      expect(chat.texts.join('\n')).toContain('e.g. 1,000 or 12.50');
      await chat.send('/cancel');

      await setRate(app.db, { base: 'EUR', quote: 'JPY', rate: '160', spreadBps: 50, feeBps: 0, setBy: 'test', at: new Date(app.clock.now().getTime() - 25 * 3600_000) });
      await toQuote(chat, '10000', 'EUR', 'JPY');
      expect(chat.texts.join('\n')).toContain('Charging from EUR to JPY is paused');
      expect(await app.db.prisma.alert.count({ where: { kind: 'stale-rate' } })).toBeGreaterThanOrEqual(1);
      await chat.send('hello');
      expect(chat.texts.join('\n')).toContain('did not understand');
    });

    it('charges in the same currency without FX and refuses a frozen card', async () => {
      const { chat, m } = await loggedIn();
      await toQuote(chat, '5000', 'JPY', 'JPY');
      expect(chat.texts.join('\n')).toContain('Charged to the card: 5,000 JPY');
      expect(chat.texts.join('\n')).not.toContain('Rate:');
      await chat.press('Confirm');
      await runPaymentsOnce(app.services.money.charges);
      expect(await app.db.prisma.ledgerAccount.findUnique({ where: { code: `card:${m.cardIds[0]}:JPY` } }).then((a) => a?.balance)).toBe(5000n);
      await app.db.prisma.card.update({ where: { id: m.cardIds[0]! }, data: { frozenBy: 'cardholder' } });
      await chat.send('/charge');
      expect(chat.texts.join('\n')).toContain('is frozen and cannot be charged');
    });

    it('never charges twice: 50 confirmations of one quote, 50 completions of one charge → one charge, one entry', async () => {
      const m = await memberWithCards(app.db);
      const q = await app.services.money.charges.quote({ memberId: m.memberId, cardId: m.cardIds[0]!, from: 'JPY', to: 'USD', text: '20', lang: 'en' });
      expect(q.ok).toBe(true);
      const quoteId = (q as { quote: { quoteId: string } }).quote.quoteId;
      const charges = await Promise.all(Array.from({ length: 50 }, () => app.services.money.charges.confirm({ quoteId, memberId: m.memberId, chatKey: 'test:x', lang: 'en' })));
      expect(new Set(charges.map((c) => c.chargeId)).size).toBe(1);
      const results = await Promise.all(Array.from({ length: 50 }, () => app.services.money.charges.complete(charges[0]!.chargeId, 'test')));
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect(await app.db.prisma.journalEntry.count({ where: { idempotencyKey: `charge:${quoteId}` } })).toBe(1);
      expect(await app.db.prisma.outbox.count({ where: { to: m.email, template: 'charge-completed' } })).toBe(1);
      expect(await app.db.prisma.chatNotice.count({ where: { chatKey: 'test:x', key: 'charge-completed' } })).toBe(1);
      expect(await app.db.prisma.ledgerAccount.findUnique({ where: { code: `card:${m.cardIds[0]}:USD` } }).then((a) => a?.balance)).toBe(2000n);
    });

    it('a second tap on [Confirm] (a stale screen) or a replayed update does not charge twice', async () => {
      const { chat, m } = await loggedIn();
      await toQuote(chat, '20');
      const confirm = chat.replies.flatMap((o) => ('buttons' in o && o.buttons ? o.buttons.flat() : [])).find((b) => b.label === 'Confirm')!;
      await chat.pressData(confirm.data);
      expect(chat.texts.join('\n')).toContain('Charge received');
      const again = await chat.pressData(confirm.data);
      expect(again.ack).toContain('expired');
      const replay = await app.engine.handle({ channel: 'test', chatId: chat.chatId, kind: 'button', data: confirm.data, updateKey: `u-${m.memberId}` });
      const replayAgain = await app.engine.handle({ channel: 'test', chatId: chat.chatId, kind: 'button', data: confirm.data, updateKey: `u-${m.memberId}` });
      // Both only say the button expired; neither changes anything.
      for (const r of [replay, replayAgain]) {
        expect(r.outbound).toEqual([]);
        expect(r.ack).toContain('expired');
      }
      expect(await app.db.prisma.charge.count({ where: { memberId: m.memberId } })).toBe(1);
    });

    it('applies the daily limit across concurrent confirmations (3 × 400,000 JPY against 1,000,000)', async () => {
      const m = await memberWithCards(app.db);
      const quotes = [];
      for (let i = 0; i < 3; i++) {
        const q = await app.services.money.charges.quote({ memberId: m.memberId, cardId: m.cardIds[0]!, from: 'JPY', to: 'JPY', text: '400000', lang: 'en' });
        expect(q.ok).toBe(true);
        quotes.push((q as { quote: { quoteId: string } }).quote.quoteId);
      }
      const outcomes = await Promise.all(quotes.map((quoteId) => app.services.money.charges.confirm({ quoteId, memberId: m.memberId, chatKey: 'test:limit', lang: 'en' }).then(() => 'ok', (err: { code?: string }) => err.code ?? 'error')));
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(2);
      expect(outcomes.filter((o) => o === 'CHARGE.DAILY_LIMIT' || o === 'CHARGE.BALANCE_LIMIT')).toHaveLength(1);
    });

    it("refuses a charge over the daily limit naming the operator day it counts, and shows the quote's expiry in the member's zone", async () => {
      const m = await memberWithCards(app.db);
      await app.db.prisma.member.update({ where: { id: m.memberId }, data: { timeZone: 'Europe/London' } });
      for (let i = 0; i < 2; i++) {
        const q = await app.services.money.charges.quote({ memberId: m.memberId, cardId: m.cardIds[0]!, from: 'JPY', to: 'JPY', text: '400000', lang: 'en' });
        expect((q as { quote: { expiresText: string } }).quote.expiresText).toMatch(/^\d\d:\d\d (GMT|BST)$/);
        await app.services.money.charges.confirm({ quoteId: (q as { quote: { quoteId: string } }).quote.quoteId, memberId: m.memberId, chatKey: 'test:day', lang: 'en' });
      }
      const over = await app.services.money.charges.quote({ memberId: m.memberId, cardId: m.cardIds[0]!, from: 'JPY', to: 'JPY', text: '300000', lang: 'en' });
      expect(over).toMatchObject({ ok: false, code: 'CHARGE.DAILY_LIMIT' });
      const vars = (over as { vars: Record<string, string> }).vars;
      const tokyoDay = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(app.clock.now());
      expect(vars).toMatchObject({ day: tokyoDay, zone: 'Asia/Tokyo (JST)' });
      expect(app.catalogue.render('en', { key: 'charge-err-charge-daily-limit', vars })).toContain(`today: ${tokyoDay}, a day in Asia/Tokyo (JST) (the daily limit counts the operator's days)`);
    });

    it('expires unpaid charges and tells the cardholder; a payment after that is held for support, not charged', async () => {
      const { chat, m } = await loggedIn();
      const q = await app.services.money.charges.quote({ memberId: m.memberId, cardId: m.cardIds[0]!, from: 'JPY', to: 'JPY', text: '3000', lang: 'en' });
      const quoteId = (q as { quote: { quoteId: string } }).quote.quoteId;
      // Not the sandbox's turn yet: its confirmation is an hour away.
      const charge = await app.services.money.charges.confirm({ quoteId, memberId: m.memberId, chatKey: `test:${chat.chatId}`, lang: 'en' });
      await app.db.prisma.charge.update({ where: { id: charge.chargeId }, data: { confirmAt: new Date(app.clock.now().getTime() + 48 * 3600_000) } });
      app.clock.advance(24 * 3600_000 + 1000);
      expect((await runPaymentsOnce(app.services.money.charges)).expired).toBeGreaterThanOrEqual(1);
      expect((await app.db.prisma.charge.findUnique({ where: { id: charge.chargeId } }))!.status).toBe('expired');
      expect(await app.services.money.charges.complete(charge.chargeId, 'late')).toEqual({ status: 'held', replayed: false, reason: 'late' });
      expect(await app.services.money.charges.complete(charge.chargeId, 'late')).toEqual({ status: 'held', replayed: true, reason: 'late' });
      expect(await app.db.prisma.journalEntry.count({ where: { idempotencyKey: `charge:${quoteId}` } })).toBe(0);
      await dispatchNotices(app);
      expect(chat.delivered.join('\n')).toContain(`Charge ${charge.reference} (3,000 JPY) expired`);
      expect(chat.delivered.join('\n')).toContain(`We received your payment of 3,000 JPY for charge ${charge.reference} after that charge had closed`);
    });
  });
}
