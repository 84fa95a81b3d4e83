import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAccount, operatorAccount, post } from '../../../src/services/ledger/index.js';
import { memberWithCards, sessionFor, type MemberFixture } from '../../support/cards.js';
import { SETUPS } from '../../support/db.js';
import { TestChat, testApp, type TestApp } from '../../support/app.js';

// "Today" in these tests: 12/15/2026 12:00 in Tokyo (OPERATOR_TIMEZONE default).
const NOW = Date.parse('2026-12-15T03:00:00Z');

for (const setup of SETUPS) {
  describe(`history, balance and settings on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    let m: MemberFixture;

    async function entry(key: string, kind: string, at: string, amount: bigint, cur = 'JPY', memo?: string, card = m.cardIds[0]!) {
      await app.db.tx((tx) => post(tx, {
        idempotencyKey: key, kind, at: new Date(at), ...(memo ? { memo } : {}),
        postings: [{ account: cardAccount(card, cur), amount }, { account: operatorAccount(kind === 'charge' ? 'funding' : 'settlement', cur), amount: -amount }],
      }));
    }

    beforeAll(async () => {
      app = await testApp(setup);
      app.clock.advance(NOW - app.clock.now().getTime());
      m = await memberWithCards(app.db, { cards: 2 });
      await entry('h-fund', 'charge', '2026-10-20T00:00:00Z', 1_000_000n, 'JPY', 'CH-FUND');
      // Edges of November in Tokyo: 10/31 23:59:59.999 JST is out, 11/01 00:00 JST is in, 11/30 23:59:59 JST in, 12/01 00:00 JST out.
      await entry('h-edge-before', 'purchase', '2026-10-31T14:59:59.999Z', -1n, 'JPY', 'Edge before');
      await entry('h-edge-first', 'purchase', '2026-10-31T15:00:00.000Z', -2n, 'JPY', 'Edge first');
      await entry('h-edge-last', 'purchase', '2026-11-30T14:59:59.999Z', -3n, 'JPY', 'Edge last');
      await entry('h-edge-after', 'purchase', '2026-11-30T15:00:00.000Z', -4n, 'JPY', 'Edge after');
      for (let d = 2; d <= 21; d++) await entry(`h-p${d}`, 'purchase', `2026-11-${String(d).padStart(2, '0')}T03:00:00Z`, -BigInt(100 * d), 'JPY', `Shop ${d}, "Ltd"`);
      await entry('h-usd', 'charge', '2026-11-10T05:00:00Z', 5000n, 'USD', 'CH-USD', m.cardIds[1]!);
      await entry('h-refund', 'refund', '2026-11-11T05:00:00Z', 700n, 'JPY', '=cmd');
    });
    afterAll(async () => {
      await app?.close();
    });

    async function chat(): Promise<TestChat> {
      const c = new TestChat(app);
      await app.engine.setSession('test', c.chatId, sessionFor(m, app.clock.now().getTime()));
      return c;
    }

    it('asks for the period, refuses bad dates with examples, pages newest first with totals, sends a CSV', async () => {
      const c = await chat();
      await c.send('/history');
      expect(c.texts.join('\n')).toContain('Enter the period you want to display in mm/dd/yyyy');
      expect(c.buttons).toEqual(['Last 7 days', 'This month', 'Last month', 'Cancel']);
      await c.send('02/30/2026');
      expect(c.texts.join('\n')).toContain('02/30/2026 is not a real date');
      await c.send('11/30/2026 - 11/01/2026');
      expect(c.texts.join('\n')).toContain('ends (11/01/2026) before it starts (11/30/2026)');
      await c.send('01/01/2025 - 01/01/2026');
      expect(c.texts.join('\n')).toContain('at most one year');
      await c.send('01/01/2027 - 01/31/2027');
      expect(c.texts.join('\n')).toContain('today is 12/15/2026');
      await c.send('last week');
      expect(c.texts.join('\n')).toContain('mm/dd/yyyy, e.g. 11/01/2026 - 11/30/2026');
      await c.send('11/01/2026');
      expect(c.texts.join('\n')).toContain('From 11/01/2026. Now enter the last date');
      await c.send('11/31/2026');
      expect(c.texts.join('\n')).toContain('11/31/2026 is not a real date');
      await c.send('11/30/2026');
      expect(c.texts.join('\n')).toBe('Period: 11/01/2026 - 11/30/2026.');
      await c.press('VIEW TRANSACTIONS');
      let page = c.texts.join('\n');
      // 20 purchases + 2 edges + USD charge + refund = 24 in November.
      expect(page).toContain('page 1 of 3, 24 in all, newest first');
      expect(page.split('\n').filter((l) => l.includes(' · ')).length).toBe(10);
      expect(page.indexOf('Edge last')).toBeLessThan(page.indexOf('Shop 21'));
      expect(page).toContain('11/30 23:59 JST · Purchase Edge last');
      expect(page).toContain('JPY: in 700 JPY, out 23,005 JPY');
      expect(page).toContain('USD: in 50.00 USD, out 0.00 USD');
      expect(page).not.toContain('Edge before');
      expect(c.buttons).toEqual(['Next ▶', 'Download CSV', 'Chart', 'New period', 'Done']);
      await c.press('Next');
      await c.press('Next');
      page = c.texts.join('\n');
      expect(page).toContain('page 3 of 3');
      expect(page).toContain('11/01 00:00 JST · Purchase Edge first');
      expect(c.buttons).toEqual(['◀ Prev', 'Download CSV', 'Chart', 'New period', 'Done']);
      await c.press('Prev');
      expect(c.texts.join('\n')).toContain('page 2 of 3');
      await c.press('Download CSV');
      const file = c.replies.find((r) => r.kind === 'file');
      expect(file).toMatchObject({ kind: 'file', name: 'omnipay-history-20261101-20261130.csv', mime: 'text/csv' });
      const csv = (file as { content: Buffer }).content.toString('utf8').trim().split('\r\n');
      expect(csv[0]).toBe('date,time,card,type,description,currency,amount');
      expect(csv).toHaveLength(25);
      expect(csv[1]).toBe(`11/30/2026,2026-11-30T23:59:59+09:00,${m.last4s[0]},purchase,Edge last,JPY,-3`);
      expect(csv).toContain(`11/21/2026,2026-11-21T12:00:00+09:00,${m.last4s[0]},purchase,"Shop 21, ""Ltd""",JPY,-2100`);
      expect(csv).toContain(`11/10/2026,2026-11-10T14:00:00+09:00,${m.last4s[1]},charge,CH-USD,USD,50.00`);
      expect(csv).toContain(`11/11/2026,2026-11-11T14:00:00+09:00,${m.last4s[0]},refund,'=cmd,JPY,700`);
      expect(csv.at(-1)).toBe(`11/01/2026,2026-11-01T00:00:00+09:00,${m.last4s[0]},purchase,Edge first,JPY,-2`);
      expect(c.buttons).toContain('Next ▶');
      await c.press('Done');
      expect(c.texts.at(-1)).toContain('Dashboard');
    });

    it('quick buttons and a clamped end', async () => {
      const c = await chat();
      await c.send('/history');
      await c.press('Last month');
      expect(c.texts.join('\n')).toContain('11/01/2026 - 11/30/2026 (page 1 of 3, 24 in all');
      await c.press('New period');
      await c.send('12/01/2026 - 12/31/2026');
      expect(c.texts.join('\n')).toContain('Period: 12/01/2026 - 12/15/2026 (the end was set to today');
      await c.press('VIEW TRANSACTIONS');
      expect(c.texts.join('\n')).toContain('(page 1 of 1, 1 in all, newest first):\n12/01 00:00 JST · Purchase Edge after');
      expect(c.buttons).toEqual(['Download CSV', 'Chart', 'New period', 'Done']);
      await c.press('New period');
      await c.send('12/02/2026 - 12/20/2026');
      await c.press('VIEW TRANSACTIONS');
      expect(c.texts.join('\n')).toContain('No deposits or withdrawals from 12/02/2026 to 12/15/2026');
      expect(c.buttons).toEqual(['New period', 'Done']);
      await c.press('Done');
    });

    it('shows every balance of every enrolled card with pending charges', async () => {
      const c = await chat();
      await app.db.prisma.quote.create({
        data: {
          id: `q-${m.memberId}`, memberId: m.memberId, cardId: m.cardIds[1]!, fromCurrency: 'JPY', fromAmount: 1500n, toCurrency: 'USD', toAmount: 1000n,
          fee: 0n, rate: '0.0066', expiresAt: new Date(NOW + 600_000),
        },
      });
      await app.db.prisma.charge.create({
        data: {
          id: `pend-${m.memberId}`, reference: `CH-P${m.memberId.slice(0, 6)}`, quoteId: `q-${m.memberId}`, memberId: m.memberId, cardId: m.cardIds[1]!, fromCurrency: 'JPY', fromAmount: 1500n,
          toCurrency: 'USD', toAmount: 1000n, fee: 0n, expiresAt: new Date(NOW + 3600_000),
        },
      });
      await c.send('/balance');
      const text = c.texts.join('\n');
      expect(text).toContain(`Card •••• ${m.last4s[0]}\n• 977,690 JPY`);
      expect(text).toContain(`Card •••• ${m.last4s[1]}\n• 0 JPY\n• 50.00 USD (pending charge: 10.00 USD)`);
    });

    it('switches usage notifications off and on in settings', async () => {
      const c = await chat();
      await c.send('/settings');
      expect(c.texts.join('\n')).toContain('notifications are ON');
      await c.press('Turn off');
      expect(c.texts.join('\n')).toContain('notifications are OFF');
      expect((await app.db.prisma.member.findUnique({ where: { id: m.memberId } }))!.notifyUsage).toBe(false);
      await c.press('Turn on');
      expect((await app.db.prisma.member.findUnique({ where: { id: m.memberId } }))!.notifyUsage).toBe(true);
      await c.press('Done');
    });

    it('keeps the time zone chosen in Settings and shows history days and times in it, naming the zone', async () => {
      const london = await memberWithCards(app.db, { cards: 1 });
      // 19:39 in London on 11/30 is already 12/01 04:39 in Tokyo.
      await entry('h-london-fund', 'charge', '2026-10-20T00:00:00Z', 10_000n, 'JPY', 'CH-LONDON', london.cardIds[0]!);
      await entry('h-london', 'purchase', '2026-11-30T19:39:00Z', -500n, 'JPY', 'Late shop', london.cardIds[0]!);
      const c = new TestChat(app);
      await app.engine.setSession('test', c.chatId, sessionFor(london, app.clock.now().getTime()));
      await c.send('/history');
      await c.send('11/30/2026 - 11/30/2026');
      await c.press('VIEW TRANSACTIONS');
      expect(c.texts.join('\n')).toContain('No deposits or withdrawals from 11/30/2026 to 11/30/2026');
      await c.press('Done');

      await c.send('/settings');
      expect(c.texts.join('\n')).toContain('Time zone: Asia/Tokyo (JST).');
      expect(c.buttons).toEqual(['Turn off', 'Time zone', 'Done']);
      await c.press('Time zone');
      expect(c.buttons).toEqual(['Asia/Tokyo', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Europe/Paris', 'Asia/Singapore', 'Australia/Sydney', 'UTC', 'Back']);
      await c.send('Mars/Olympus');
      expect(c.texts.join('\n')).toContain('I do not know that time zone. Type a name such as Europe/London');
      expect(c.buttons).toContain('Europe/London');
      await c.send('london');
      expect(c.texts.join('\n')).toContain('Saved.');
      expect(c.texts.join('\n')).toContain('Time zone: Europe/London (GMT).');
      expect((await app.db.prisma.member.findUnique({ where: { id: london.memberId } }))!.timeZone).toBe('Europe/London');
      await c.press('Done');

      await c.send('/history');
      await c.send('11/30/2026 - 11/30/2026');
      await c.press('VIEW TRANSACTIONS');
      expect(c.texts.join('\n')).toContain('11/30 19:39 GMT · Purchase Late shop');
      await c.press('Download CSV');
      const file = c.replies.find((r) => r.kind === 'file') as { content: Buffer };
      expect(file.content.toString('utf8')).toContain(`11/30/2026,2026-11-30T19:39:00+00:00,${london.last4s[0]},purchase,Late shop,JPY,-500`);
      await c.press('Done');

      await c.send('/settings');
      await c.press('Time zone');
      await c.press('Asia/Tokyo');
      expect(c.texts.join('\n')).toContain('Time zone: Asia/Tokyo (JST).');
      await c.press('Done');
      await c.send('/history');
      await c.send('12/01/2026 - 12/01/2026');
      await c.press('VIEW TRANSACTIONS');
      expect(c.texts.join('\n')).toContain('12/01 04:39 JST · Purchase Late shop');
    });

    it('[Chart] sends a PNG of the period captioned with the totals, and keeps the page buttons', async () => {
      const c = await chat();
      await c.send('/history');
      await c.press('Last month');
      await c.press('Chart');
      const image = c.replies.find((r) => r.kind === 'image') as { png: Buffer; caption: string; buttons: { label: string }[][] };
      expect(image.png.subarray(1, 4).toString('latin1')).toBe('PNG');
      // IHDR: width and height, big-endian, after the 8-byte signature and the chunk header.
      expect(image.png.readUInt32BE(16)).toBe(800);
      expect(image.png.readUInt32BE(20)).toBe(56 + 2 * 230);
      expect(image.caption).toContain('Chart, 11/01/2026 - 11/30/2026');
      expect(image.caption).toContain('JPY: in 700 JPY, out 23,005 JPY');
      expect(image.caption).toContain('USD: in 50.00 USD, out 0.00 USD');
      expect(image.buttons.flat().map((b) => b.label)).toEqual(['Next ▶', 'Download CSV', 'Chart', 'New period', 'Done']);
      await c.press('Next');
      expect(c.texts.join('\n')).toContain('page 2 of 3');
    });
  });
}
