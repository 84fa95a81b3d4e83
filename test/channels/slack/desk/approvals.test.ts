import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../../src/services/ledger/index.js';
import { readBlocks } from '../../../../src/testkit/slack/blocks.js';
import type { FakeSlackMessage } from '../../../../src/testkit/slack/fake-slack-api.js';
import { SETUPS } from '../../../support/db.js';
import { balance, deskAudit, holder, type Holder } from './fixtures.js';
import { button, CHANNEL, DeskHarness, labels, textOf, USERS, type DeskUser } from './harness.js';

for (const setup of SETUPS) {
  describe(`two-person approval of refunds and reversals on ${setup.db} + ${setup.store}`, () => {
    let desk: DeskHarness;
    beforeAll(async () => {
      desk = await DeskHarness.start(setup);
    });
    afterAll(async () => {
      await desk?.close();
    });
    afterEach(() => {
      desk.expectWithinLimits();
    });

    const page = async (username: string) => desk.response((await desk.command(`lookup ${username}`)).responseUrl);
    const requests = (memberId: string) => desk.app.db.prisma.approvalRequest.findMany({ where: { memberId }, orderBy: { createdAt: 'asc' } });
    /** Opens the Refund / Reverse modal from the member's page as `user`. */
    const openForm = async (h: Holder, label: 'Refund' | 'Reverse', user: DeskUser = USERS.sam) => {
      const opened = desk.fake.state.views.length;
      const press = await desk.press(button(await page(h.username), label), user);
      return { press, modal: await desk.modal(opened + 1) };
    };
    /** The `count`-th approval message in the channel, once the desk has noted it on its request. */
    const posted = async (count: number): Promise<FakeSlackMessage> => {
      await desk.fake.waitFor(() => (desk.channelMessages().length >= count ? true : undefined), 10_000, `${count} approval messages`);
      const m = desk.channelMessages()[count - 1]!;
      await expect.poll(() => desk.app.db.prisma.approvalRequest.count({ where: { messageTs: m.ts } })).toBe(1);
      return m;
    };
    /** Presses a button of a message in the support channel. */
    const pressOn = (m: FakeSlackMessage, label: string, user: DeskUser) => desk.press(button(m, label), user, { message: { ts: m.ts, blocks: m.blocks ?? [] } });

    it('a refund: the modal shows what is left; a non-number, too much and no reason are field errors with nothing made; a valid one waits in the channel with Approve / Reject', async () => {
      const h = await holder(desk.app, { funds: 10_000n, purchases: [1500n] });
      const { modal } = await openForm(h, 'Refund');
      const read = readBlocks(modal.view);
      expect(read.title).toBe('Refund');
      expect(read.texts[0]).toContain(`Refund to ${h.username}'s card •••• ${h.last4s[0]}`);
      expect(read.texts[0]).toContain('purchase at Shop 1 on');
      expect(read.texts[0]).toContain('Left to refund: *1,500 JPY*');
      expect(read.inputs.map((i) => i.blockId)).toEqual(['amount', 'reason']);
      const bad: [Record<string, string>, string, RegExp][] = [
        [{ amount: 'ten', reason: 'broken' }, 'amount', /^Enter an amount in JPY up to 1,500 JPY, e\.g\. 1,500 JPY/],
        [{ amount: '1501', reason: 'broken' }, 'amount', /^At most 1,500 JPY: only 1,500 JPY is left to refund\.$/],
        [{ amount: '-5', reason: 'broken' }, 'amount', /^Enter an amount in JPY/],
        [{ amount: '500', reason: '  ' }, 'reason', /^Give a reason/],
      ];
      for (const [values, field, said] of bad) {
        const r = await desk.submit(modal, values);
        expect(r.ack).toMatchObject({ response_action: 'errors' });
        const errors = (r.ack as { errors: Record<string, string> }).errors;
        expect(Object.keys(errors)).toEqual([field]);
        expect(errors[field]).toMatch(said);
      }
      expect(await requests(h.memberId)).toEqual([]);
      const messages = desk.channelMessages().length;
      const ok = await desk.submit(modal, { amount: '500', reason: 'item returned' });
      expect(ok.ack).toMatchObject({ response_action: 'update' });
      expect(textOf((ok.ack as { view: unknown }).view)).toContain(`Refund of *500 JPY* for ${h.username}'s card •••• ${h.last4s[0]} asked. It waits in <#${CHANNEL}>`);
      const msg = await posted(messages + 1);
      expect(labels(msg)).toEqual(['Approve', 'Reject']);
      expect(textOf(msg)).toContain(`*Refund* of *500 JPY* to ${h.username}'s card •••• ${h.last4s[0]}`);
      expect(textOf(msg)).toContain('*Reason:* item returned');
      expect(textOf(msg)).toContain(`Asked by <@${USERS.sam.id}> (${USERS.sam.name})`);
      const [req] = await requests(h.memberId);
      expect(req).toMatchObject({ kind: 'refund', status: 'pending', amount: 500n, currency: 'JPY', requestedBy: USERS.sam.id, channel: CHANNEL, messageTs: msg.ts, requestKey: `view:${modal.id}` });
      expect(await balance(desk.app, h.cardIds[0]!)).toBe(10_000n - 1500n);
    });

    it('the requester cannot approve their own refund; a different support user approves: the card is credited once, the cardholder told, the message updated without buttons, every step audited', async () => {
      const h = await holder(desk.app, { funds: 10_000n, purchases: [1500n] });
      const { modal } = await openForm(h, 'Refund', USERS.sam);
      const count = desk.channelMessages().length;
      await desk.submit(modal, { amount: '1,500', reason: 'double charge' }, USERS.sam);
      const msg = await posted(count + 1);
      // Pressed again below as someone who still sees the message from before it was updated.
      const stale = button(msg, 'Approve');
      const own = await pressOn(msg, 'Approve', USERS.sam);
      expect(textOf(await desk.response(own.responseUrl))).toContain('You asked for this one: a different support user must approve or reject it.');
      const [req] = await requests(h.memberId);
      expect(req?.status).toBe('pending');
      expect(await balance(desk.app, h.cardIds[0]!)).toBe(8500n);
      const approve = await pressOn(msg, 'Approve', USERS.kim);
      expect(textOf(await desk.response(approve.responseUrl))).toContain(':white_check_mark: Approved. Refunded 1,500 JPY to the card; 0 JPY left to refund.');
      expect(await balance(desk.app, h.cardIds[0]!)).toBe(10_000n);
      expect(await desk.app.db.prisma.journalEntry.count({ where: { idempotencyKey: `support-refund:${req!.id}` } })).toBe(1);
      const updated = desk.channelMessages().find((m) => m.ts === msg.ts)!;
      expect(labels(updated)).toEqual([]);
      expect(textOf(updated)).toContain(`Approved by <@${USERS.kim.id}> (${USERS.kim.name}). Refunded 1,500 JPY to the card`);
      const notice = await desk.app.db.prisma.chatNotice.findFirst({ where: { memberId: h.memberId, key: 'usage-refunded-support' } });
      expect(desk.app.catalogue.render('en', { key: notice!.key, vars: notice!.vars as Record<string, string> })).toContain('our support team refunded 1,500 JPY for Shop 1');
      expect((await deskAudit(desk.app, { target: req!.id })).map((r) => [r.action, r.actor])).toEqual([
        ['refund.request', `slack:${USERS.sam.id}`],
        ['refund.approve-refused', `slack:${USERS.sam.id}`],
        ['refund.approve', `slack:${USERS.kim.id}`],
      ]);
      expect(await desk.app.db.prisma.auditLog.count({ where: { action: 'usage.refund', actor: `slack:${USERS.kim.id}`, target: h.purchases[0]! } })).toBe(1);
      expect(await desk.app.db.prisma.approvalRequest.findUnique({ where: { id: req!.id } })).toMatchObject({ status: 'approved', decidedBy: USERS.kim.id, outcome: 'done' });
      const again = await desk.press(stale, USERS.lee, { message: { ts: msg.ts } });
      expect(textOf(await desk.response(again.responseUrl))).toContain(`This request was approved already by <@${USERS.kim.id}>`);
      expect(labels(await page(h.username))).not.toContain('Refund');
    });

    it('two support users approving at once move the ledger exactly once, the other is told it was approved already, and ledger verify is clean', async () => {
      const h = await holder(desk.app, { funds: 10_000n, purchases: [2000n] });
      const { modal } = await openForm(h, 'Refund', USERS.sam);
      const count = desk.channelMessages().length;
      await desk.submit(modal, { amount: '2000', reason: 'merchant never shipped' }, USERS.sam);
      const msg = await posted(count + 1);
      const [kim, lee] = await Promise.all([pressOn(msg, 'Approve', USERS.kim), pressOn(msg, 'Approve', USERS.lee)]);
      const told = [textOf(await desk.response(kim.responseUrl)), textOf(await desk.response(lee.responseUrl))];
      expect(told.filter((t) => t.includes(':white_check_mark: Approved.'))).toHaveLength(1);
      expect(told.filter((t) => t.includes('This request was approved already by'))).toHaveLength(1);
      const [req] = await requests(h.memberId);
      expect(await desk.app.db.prisma.journalEntry.count({ where: { idempotencyKey: `support-refund:${req!.id}` } })).toBe(1);
      expect(await desk.app.db.prisma.usageRefund.count({ where: { usageId: h.purchases[0]! } })).toBe(1);
      expect(await deskAudit(desk.app, { target: req!.id, action: 'refund.approve' })).toHaveLength(1);
      expect(await balance(desk.app, h.cardIds[0]!)).toBe(10_000n);
      const report = await verifyLedger(desk.app.db);
      expect(report.violations).toEqual([]);
      expect(report.ok).toBe(true);
    });

    it('one Approve press delivered 50 times at once (a replayed interaction: same body, same response URL) approves once: one ledger entry, one refund, one audit entry; every other delivery is told it was approved already', async () => {
      const h = await holder(desk.app, { funds: 10_000n, purchases: [1200n] });
      const { modal } = await openForm(h, 'Refund', USERS.sam);
      const count = desk.channelMessages().length;
      await desk.submit(modal, { amount: '1200', reason: 'replayed approval' }, USERS.sam);
      const msg = await posted(count + 1);
      const url = desk.fake.responseUrl();
      const payload = desk.pressPayload(button(msg, 'Approve'), USERS.kim, url, { ts: msg.ts, blocks: msg.blocks ?? [] });
      const acks = await Promise.all(Array.from({ length: 50 }, () => desk.slack.interaction(payload)));
      expect(acks.map((a) => a.status)).toEqual(Array(50).fill(200));
      const told = await Promise.all(Array.from({ length: 50 }, async (_, n) => textOf(await desk.response(url, n))));
      expect(told.filter((t) => t.includes(':white_check_mark: Approved.'))).toHaveLength(1);
      expect(told.filter((t) => t.includes('This request was approved already by'))).toHaveLength(49);
      const [req] = await requests(h.memberId);
      expect(await desk.app.db.prisma.journalEntry.count({ where: { idempotencyKey: `support-refund:${req!.id}` } })).toBe(1);
      expect(await desk.app.db.prisma.usageRefund.count({ where: { usageId: h.purchases[0]! } })).toBe(1);
      expect(await deskAudit(desk.app, { target: req!.id, action: 'refund.approve' })).toHaveLength(1);
      expect(await balance(desk.app, h.cardIds[0]!)).toBe(10_000n);
      expect((await verifyLedger(desk.app.db)).violations).toEqual([]);
    }, 120_000);

    it('a reversal: over the balance is a field error; spending meanwhile makes approval refuse (it still waits); Reject ends it with nothing moved; an approved one debits the card, pays back through the sandbox, mails and tells the cardholder', async () => {
      const h = await holder(desk.app, { charges: [5000n] });
      const { modal } = await openForm(h, 'Reverse');
      expect(textOf(modal.view)).toContain('Left to reverse: *5,000 JPY* · card balance: *5,000 JPY* · at most *5,000 JPY*');
      const over = await desk.submit(modal, { amount: '5001', reason: 'fraud' });
      expect((over.ack as { errors: Record<string, string> }).errors).toEqual({ amount: 'At most 5,000 JPY: only 5,000 JPY is left to reverse.' });
      const count = desk.channelMessages().length;
      await desk.submit(modal, { amount: '4000', reason: 'paid by mistake' });
      const msg = await posted(count + 1);
      await desk.app.services.money.usage.record({ processorId: `spend:${h.cardIds[0]}`, cardId: h.cardIds[0]!, kind: 'purchase', amount: 2000n, currency: 'JPY', merchant: 'Late shop' });
      const refused = await pressOn(msg, 'Approve', USERS.kim);
      expect(textOf(await desk.response(refused.responseUrl))).toContain("Cannot approve: the card's balance is 3,000 JPY, less than 4,000 JPY. The request still waits");
      expect(labels(desk.channelMessages().find((m) => m.ts === msg.ts)!)).toEqual(['Approve', 'Reject']);
      const reject = await pressOn(msg, 'Reject', USERS.kim);
      expect(textOf(await desk.response(reject.responseUrl))).toContain('Rejected; nothing moved.');
      expect(textOf(desk.channelMessages().find((m) => m.ts === msg.ts)!)).toContain(`:x: Rejected by <@${USERS.kim.id}>`);
      expect(await balance(desk.app, h.cardIds[0]!)).toBe(3000n);

      const again = await openForm(h, 'Reverse');
      expect(textOf(again.modal.view)).toContain('Left to reverse: *5,000 JPY* · card balance: *3,000 JPY* · at most *3,000 JPY*');
      const uncovered = await desk.submit(again.modal, { amount: '3001', reason: 'paid by mistake' });
      expect((uncovered.ack as { errors: Record<string, string> }).errors).toEqual({ amount: "At most 3,000 JPY: the card's balance is 3,000 JPY." });
      expect(await requests(h.memberId)).toHaveLength(1);
      await desk.submit(again.modal, { amount: '3000', reason: 'paid by mistake' });
      const second = await posted(count + 2);
      const ok = await pressOn(second, 'Approve', USERS.lee);
      expect(textOf(await desk.response(ok.responseUrl))).toContain('Approved. Reversed 3,000 JPY from the card; 3,000 JPY returned to the payer.');
      expect(await balance(desk.app, h.cardIds[0]!)).toBe(0n);
      const [, req] = await requests(h.memberId);
      expect(await desk.app.db.prisma.payout.findUnique({ where: { requestId: req!.id } })).toMatchObject({ kind: 'reversal', status: 'succeeded', cardAmount: 3000n });
      expect(await desk.app.db.prisma.outbox.count({ where: { to: h.email, template: 'charge-reversed' } })).toBe(1);
      const notice = await desk.app.db.prisma.chatNotice.findFirst({ where: { memberId: h.memberId, key: 'charge-reversed' } });
      expect(desk.app.catalogue.render('en', { key: notice!.key, vars: notice!.vars as Record<string, string> })).toContain(`3,000 JPY was taken back from card •••• ${h.last4s[0]} and 3,000 JPY is being returned to you`);
      expect((await verifyLedger(desk.app.db)).violations).toEqual([]);
    });

    it('an expired request cannot be approved: it is marked expired, nothing moves, and the message says so', async () => {
      const h = await holder(desk.app, { funds: 1000n, purchases: [700n] });
      const { modal } = await openForm(h, 'Refund');
      const count = desk.channelMessages().length;
      await desk.submit(modal, { amount: '700', reason: 'late' });
      const msg = await posted(count + 1);
      desk.app.clock.advance(25 * 3600_000);
      try {
        const r = await pressOn(msg, 'Approve', USERS.kim);
        expect(textOf(await desk.response(r.responseUrl))).toContain('This request expired on');
        const [req] = await requests(h.memberId);
        expect(req).toMatchObject({ status: 'expired', decidedBy: null });
        expect(textOf(desk.channelMessages().find((m) => m.ts === msg.ts)!)).toContain('Expired unapproved');
        expect(await balance(desk.app, h.cardIds[0]!)).toBe(300n);
      } finally {
        desk.app.clock.advance(-25 * 3600_000);
      }
    });

    it('a repeated modal submission makes one request and one approval message', async () => {
      const h = await holder(desk.app, { funds: 1000n, purchases: [400n] });
      const { modal } = await openForm(h, 'Refund');
      const count = desk.channelMessages().length;
      const body = desk.submission(modal, { amount: '400', reason: 'twice' }, USERS.sam);
      const [a, b] = await Promise.all([desk.slack.viewSubmission(body), desk.slack.viewSubmission(body)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      await posted(count + 1);
      expect(await requests(h.memberId)).toHaveLength(1);
      expect(await deskAudit(desk.app, { action: 'refund.request', memberId: h.memberId })).toHaveLength(1);
      expect(desk.channelMessages().length).toBe(count + 1);
    });

    it('a stranger pressing Approve is refused ephemerally, nothing moves, and the attempt is audited', async () => {
      const h = await holder(desk.app, { funds: 1000n, purchases: [400n] });
      const { modal } = await openForm(h, 'Refund');
      const count = desk.channelMessages().length;
      await desk.submit(modal, { amount: '400', reason: 'x' });
      const msg = await posted(count + 1);
      const r = await pressOn(msg, 'Approve', USERS.eve);
      const said = await desk.response(r.responseUrl);
      expect(said).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(textOf(said)).toContain('only OMNIPAY support users can use this desk');
      const [req] = await requests(h.memberId);
      expect(req?.status).toBe('pending');
      expect(await deskAudit(desk.app, { actor: `slack:${USERS.eve.id}`, target: `Approve ${req!.id}` })).toHaveLength(1);
    });

    it('a request Slack refuses to post (channel_not_found) is kept and told to the requester with Post again, which posts it; a ratelimited post is retried and lands once', async () => {
      const h = await holder(desk.app, { funds: 1000n, purchases: [100n, 200n] });
      desk.fake.fail('chat.postMessage', 'channel_not_found');
      const first = await openForm(h, 'Refund');
      const count = desk.channelMessages().length;
      await desk.submit(first.modal, { amount: '100', reason: 'x' });
      const told = await desk.response(first.press.responseUrl);
      expect(textOf(told)).toContain(`could not be posted in <#${CHANNEL}> for approval (Slack said \`channel_not_found\`: check SLACK_SUPPORT_CHANNEL)`);
      const [req] = await requests(h.memberId);
      expect(req).toMatchObject({ status: 'pending', messageTs: null });
      const repost = await desk.press(button(told, 'Post again'));
      const msg = await posted(count + 1);
      expect(labels(msg)).toEqual(['Approve', 'Reject']);
      expect(textOf(await desk.response(repost.responseUrl))).toContain(`Posted in <#${CHANNEL}>`);
      expect((await requests(h.memberId))[0]?.messageTs).toBe(msg.ts);

      desk.fake.fail('chat.postMessage', 'ratelimited', { retryAfter: 1 });
      const second = await openForm(h, 'Refund');
      await desk.submit(second.modal, { amount: '200', reason: 'y' });
      await posted(count + 2);
      expect(desk.channelMessages()).toHaveLength(count + 2);
      expect(desk.fake.callsTo('chat.postMessage').slice(-2).map((c) => c.status)).toEqual([429, 200]);
    }, 20_000);
  });
}
