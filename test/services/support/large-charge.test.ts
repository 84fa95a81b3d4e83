import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberWithCards } from '../../support/cards.js';
import { SETUPS } from '../../support/db.js';
import { testApp, type TestApp } from '../../support/app.js';

describe.each(SETUPS)('large-charge alert ($db + $store)', (kinds) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(kinds, { SANDBOX_PAYMENTS: 'false', PAYMENT_WEBHOOK_SECRET: 'large-charge-test-secret-0123', ALERT_CHARGE_OVER: 'JPY 150000, USD 1000' });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function charge(memberId: string, cardId: string, text: string) {
    const q = await app.services.money.charges.quote({ memberId, cardId, from: 'JPY', to: 'JPY', text, lang: 'en' });
    if (!q.ok) throw new Error(`quote refused: ${JSON.stringify(q)}`);
    const c = await app.services.money.charges.confirm({ quoteId: (q as { quote: { quoteId: string } }).quote.quoteId, memberId, chatKey: 'test:lc', lang: 'en' });
    return c;
  }

  it('a completed charge over ALERT_CHARGE_OVER raises one large-charge alert in its transaction; one at the limit, and a replay, raise none', async () => {
    const m = await memberWithCards(app.db);
    const card = m.cardIds[0]!;
    const atLimit = await charge(m.memberId, card, '150000');
    await app.services.money.charges.complete(atLimit.chargeId, 'test');
    expect(await app.db.prisma.alert.count({ where: { kind: 'large-charge' } })).toBe(0);
    const over = await charge(m.memberId, card, '150001');
    await app.services.money.charges.complete(over.chargeId, 'test');
    await app.services.money.charges.complete(over.chargeId, 'replayed webhook');
    const alerts = await app.db.prisma.alert.findMany({ where: { kind: 'large-charge' } });
    expect(alerts.map((a) => ({ memberId: a.memberId, cardId: a.cardId, details: a.details }))).toEqual([
      { memberId: m.memberId, cardId: card, details: { reference: over.reference, amount: '150,001 JPY', paid: '150,001 JPY', over: '150,000 JPY' } },
    ]);
  });
});
