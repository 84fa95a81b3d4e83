import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../src/services/ledger/index.js';
import { testApp, type TestApp } from '../../support/app.js';
import { memberWithCards } from '../../support/cards.js';
import { SETUPS } from '../../support/db.js';
import { fund } from '../support-money/helpers.js';

const sam = { userId: 'U0SAM', name: 'sam' };
const kim = { userId: 'U0KIM', name: 'kim' };

for (const setup of SETUPS) {
  describe(`approvals carried out after a stop on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup, { SLACK_SUPPORT_USERS: 'U0SAM,U0KIM' });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('an approval whose money never moved (the process stopped in between) is carried out once by settleApproved, and pressing Approve again moves nothing more', async () => {
      const m = await memberWithCards(app.db);
      await fund(app, m.cardIds[0]!, 1000n);
      const u = await app.services.money.usage.record({ processorId: `stop:${m.memberId}`, cardId: m.cardIds[0]!, kind: 'purchase', amount: 600n, currency: 'JPY', merchant: 'Kiosk' });
      const approvals = app.services.desk.approvals;
      const asked = await approvals.request({ ...sam, requestId: `view:${m.memberId}` }, { kind: 'refund', targetId: u.usageId, amountText: '600', reason: 'stopped' });
      if (!asked.ok) throw new Error(asked.message);
      // What the decision's transaction leaves when the process stops before the money moves.
      await app.db.prisma.approvalRequest.update({ where: { id: asked.request.id }, data: { status: 'approved', decidedBy: kim.userId, decidedByName: kim.name, decidedAt: new Date(app.clock.now().getTime() - 5 * 60_000) } });
      expect(await approvals.settleApproved()).toBe(1);
      expect(await app.db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: asked.request.id } })).toMatchObject({ outcome: 'done', outcomeNote: 'Refunded 600 JPY to the card; 0 JPY left to refund.' });
      expect(await approvals.settleApproved()).toBe(0);
      const again = await approvals.decide({ ...kim, requestId: `action:${m.memberId}` }, asked.request.id, 'approve');
      expect(again.outcome).toBe('already');
      expect(await app.db.prisma.journalEntry.count({ where: { idempotencyKey: `support-refund:${asked.request.id}` } })).toBe(1);
      expect((await app.db.prisma.ledgerAccount.findUniqueOrThrow({ where: { code: `card:${m.cardIds[0]}:JPY` } })).balance).toBe(1000n);
      expect((await verifyLedger(app.db)).violations).toEqual([]);
    });

    it('a decision just made is left to the person who made it (settleApproved waits a grace period)', async () => {
      const m = await memberWithCards(app.db);
      await fund(app, m.cardIds[0]!, 1000n);
      const u = await app.services.money.usage.record({ processorId: `fresh:${m.memberId}`, cardId: m.cardIds[0]!, kind: 'purchase', amount: 100n, currency: 'JPY' });
      const asked = await app.services.desk.approvals.request({ ...sam, requestId: `view:fresh:${m.memberId}` }, { kind: 'refund', targetId: u.usageId, amountText: '100', reason: 'r' });
      if (!asked.ok) throw new Error(asked.message);
      await app.db.prisma.approvalRequest.update({ where: { id: asked.request.id }, data: { status: 'approved', decidedBy: kim.userId, decidedAt: app.clock.now() } });
      expect(await app.services.desk.approvals.settleApproved()).toBe(0);
      expect(await app.db.prisma.usageRefund.count({ where: { usageId: u.usageId } })).toBe(0);
    });
  });
}
