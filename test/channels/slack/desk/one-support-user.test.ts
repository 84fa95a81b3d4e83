import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUPS } from '../../../support/db.js';
import { holder } from './fixtures.js';
import { button, DeskHarness, textOf, USERS } from './harness.js';

// The rule is the desk's and the service's, not the database's: one set-up is enough.
const setup = SETUPS[0]!;

describe(`a desk with fewer than two support users (${setup.db} + ${setup.store})`, () => {
  let desk: DeskHarness;
  beforeAll(async () => {
    desk = await DeskHarness.start(setup, { support: [USERS.sam], admins: [] });
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('says so in /omnipay help', async () => {
    const r = await desk.command('help');
    expect(textOf(r.ack)).toContain(':warning: Fewer than two support users are configured (SLACK_SUPPORT_USERS, SLACK_ADMIN_USERS): refunds and reversals cannot be approved');
    desk.expectWithinLimits();
  });

  it('Refund is answered with the warning instead of a form, and nothing can be asked or approved', async () => {
    const h = await holder(desk.app, { funds: 1000n, purchases: [500n] });
    const page = await desk.response((await desk.command(`lookup ${h.username}`)).responseUrl);
    const opened = desk.fake.state.views.length;
    const press = await desk.press(button(page, 'Refund'));
    expect(textOf(await desk.response(press.responseUrl))).toContain(':warning: Fewer than two support users are configured');
    expect(desk.fake.state.views.length).toBe(opened);
    const actor = { userId: USERS.sam.id, name: USERS.sam.name, requestId: 'view:V-direct' };
    const asked = await desk.app.services.desk.approvals.request(actor, { kind: 'refund', targetId: h.purchases[0]!, amountText: '500', reason: 'x' });
    expect(asked).toMatchObject({ ok: false, code: 'DESK.NO_SECOND_PERSON' });
    expect(await desk.app.db.prisma.approvalRequest.count()).toBe(0);
    // A request left from when a second support user was configured cannot be approved now either.
    const left = await desk.app.db.prisma.approvalRequest.create({
      data: { id: 'req-left', kind: 'refund', targetId: h.purchases[0]!, memberId: h.memberId, cardId: h.cardIds[0]!, amount: 500n, currency: 'JPY', reason: 'x', requestedBy: USERS.kim.id, requestedByName: USERS.kim.name, requestKey: 'view:V-old', expiresAt: new Date(Date.now() + 3600_000) },
    });
    const approve = await desk.press({ text: 'Approve', actionId: 'desk.approve', value: left.id }, USERS.sam, { message: { ts: '1700000000.000001' } });
    expect(textOf(await desk.response(approve.responseUrl))).toContain(':warning: Fewer than two support users are configured');
    expect(await desk.app.db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: left.id } })).toMatchObject({ status: 'pending', decidedBy: null });
    expect(await desk.app.db.prisma.usageRefund.count({ where: { usageId: h.purchases[0]! } })).toBe(0);
    desk.expectWithinLimits();
  });
});
