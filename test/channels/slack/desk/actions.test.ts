import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBlocks } from '../../../../src/testkit/slack/blocks.js';
import { freshTs } from '../../../../src/testkit/slack/payloads.js';
import { SETUPS } from '../../../support/db.js';
import { deskAudit, holder, lockLogin, lockPin } from './fixtures.js';
import { button, DeskHarness, labels, textOf, USERS } from './harness.js';
import { standalone } from '../../../support/secrets.js';

for (const setup of SETUPS) {
  describe(`desk actions on ${setup.db} + ${setup.store}`, () => {
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

    /** The member's page, as `/omnipay lookup <username>` answers it. */
    const page = async (username: string) => desk.response((await desk.command(`lookup ${username}`)).responseUrl);
    const member = (id: string) => desk.app.db.prisma.member.findUniqueOrThrow({ where: { id } });
    const card = (id: string) => desk.app.db.prisma.card.findUniqueOrThrow({ where: { id } });

    it('Unlock log-in opens a modal with the press\'s trigger_id; an empty reason is a field error and nothing moves; a reason unlocks, audits before/after, and the page loses the button', async () => {
      const h = await holder(desk.app);
      const until = await lockLogin(desk.app, h.memberId);
      const shown = await page(h.username);
      const opened = desk.fake.state.views.length;
      const press = await desk.press(button(shown, 'Unlock log-in'), USERS.kim, { payload: (p) => (p.trigger_id = 'TR-unlock-1') });
      expect(press.ack).toBeUndefined();
      const modal = await desk.modal(opened + 1);
      expect(modal.triggerId).toBe('TR-unlock-1');
      const read = readBlocks(modal.view);
      expect(read.title).toBe('Unlock log-in');
      expect(read.texts[0]).toContain(`Unlock the log-in of *${h.username}* (locked until`);
      expect(read.inputs.map((i) => i.blockId)).toEqual(['reason']);
      const empty = await desk.submit(modal, { reason: '   ' }, USERS.kim);
      expect(empty.ack).toEqual({ response_action: 'errors', errors: { reason: 'Give a reason: the audit log keeps it.' } });
      expect((await member(h.memberId)).lockedUntil).toEqual(until);
      const done = await desk.submit(modal, { reason: 'identity checked by phone' }, USERS.kim);
      expect(done.ack).toBeUndefined();
      const answer = await desk.response(press.responseUrl);
      expect(answer).toMatchObject({ replace_original: true });
      expect(textOf(answer)).toContain(':white_check_mark: Log-in unlocked: the cardholder can log in again.');
      expect(labels(answer)).not.toContain('Unlock log-in');
      expect(await member(h.memberId)).toMatchObject({ lockedUntil: null, failedLogins: 0 });
      const [row, ...more] = await deskAudit(desk.app, { action: 'member.login-unlocked', target: h.memberId });
      expect(more).toEqual([]);
      expect(row).toMatchObject({
        actor: `slack:${USERS.kim.id}`, actorName: USERS.kim.name, memberId: h.memberId, requestId: `view:${modal.id}`,
        before: { lockedUntil: until.toISOString(), failedLogins: 0 }, after: { lockedUntil: null, failedLogins: 0 },
        details: { via: 'slack', changed: true, reason: 'identity checked by phone' },
      });
    });

    it("the alert's Unlock log-in button (a channel message, value = member id) unlocks the same way and answers ephemerally without replacing the alert", async () => {
      const h = await holder(desk.app);
      await lockLogin(desk.app, h.memberId);
      const opened = desk.fake.state.views.length;
      const alert = { ts: freshTs(), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Log-in locked: ${h.username}` } }] };
      const press = await desk.press({ text: 'Unlock log-in', actionId: 'desk.unlock-login', value: h.memberId }, USERS.sam, { message: alert });
      const modal = await desk.modal(opened + 1);
      await desk.submit(modal, { reason: 'called in' });
      const answer = await desk.response(press.responseUrl);
      expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(textOf(answer)).toContain('Log-in unlocked');
      expect((await member(h.memberId)).lockedUntil).toBeNull();
    });

    it('Reset PIN lock asks a reason in a modal, then clears the lock (the PIN hash stays) and audits the card before and after', async () => {
      const h = await holder(desk.app);
      await lockPin(desk.app, h.cardIds[0]!);
      const before = await card(h.cardIds[0]!);
      const opened = desk.fake.state.views.length;
      const press = await desk.press(button(await page(h.username), 'Reset PIN lock'));
      const modal = await desk.modal(opened + 1);
      expect(readBlocks(modal.view)).toMatchObject({ title: 'Reset PIN lock' });
      expect(textOf(modal.view)).toContain(`card •••• ${h.last4s[0]}? The PIN stays as it is.`);
      await desk.submit(modal, { reason: 'cardholder verified at the counter' });
      expect(textOf(await desk.response(press.responseUrl))).toContain(`PIN lock reset on card •••• ${h.last4s[0]}.`);
      expect(await card(h.cardIds[0]!)).toMatchObject({ pinLocked: false, pinFailures: 0, pinHash: before.pinHash });
      const [row] = await deskAudit(desk.app, { action: 'card.pin-unlock', target: h.cardIds[0]! });
      expect(row).toMatchObject({ before: { pinLocked: true, last4: h.last4s[0] }, after: { pinLocked: false }, details: { reason: 'cardholder verified at the counter' } });
    });

    it('Resend activation (pending member) queues a new verification e-mail at once and audits it; no code reaches Slack or the audit row', async () => {
      const h = await holder(desk.app);
      await desk.app.db.prisma.member.update({ where: { id: h.memberId }, data: { status: 'pending', activatedAt: null, pendingExpiresAt: new Date(desk.app.clock.now().getTime() + 3600_000) } });
      const shown = await page(h.username);
      expect(labels(shown)).toContain('Resend activation');
      const press = await desk.press(button(shown, 'Resend activation'));
      expect(textOf(await desk.response(press.responseUrl))).toContain('A new activation e-mail is on its way');
      const mails = await desk.app.db.prisma.outbox.findMany({ where: { to: h.email } });
      expect(mails).toHaveLength(1);
      const [row] = await deskAudit(desk.app, { action: 'member.activation-resent', target: h.memberId });
      expect(row).toMatchObject({ after: { verificationSent: true } });
      // The stored mail holds no code; it is made again at send time — the one a cardholder would get.
      expect(mails[0]!.text).not.toMatch(/\b\d{8}\b/);
      const revealed = await desk.app.mailSecrets.reveal(mails[0]! as never);
      const code = String(revealed?.vars.code ?? '');
      expect(code).toMatch(/^\d{8}$/);
      expect(JSON.stringify(desk.payloads())).not.toMatch(standalone(code));
      expect(JSON.stringify(row)).not.toMatch(standalone(code));
    });

    it('Freeze acts at once (frozen by support, button turns into Unfreeze), and Unfreeze lifts it; each is audited', async () => {
      const h = await holder(desk.app);
      const frozen = await desk.response((await desk.press(button(await page(h.username), 'Freeze'))).responseUrl);
      expect(textOf(frozen)).toContain(`:white_check_mark: Card •••• ${h.last4s[0]} frozen by support.`);
      expect(textOf(frozen)).toContain('enrolled · frozen by support');
      expect(labels(frozen)).toContain('Unfreeze');
      expect(labels(frozen)).not.toContain('Freeze');
      expect((await card(h.cardIds[0]!)).frozenBy).toBe('support');
      const thawed = await desk.response((await desk.press(button(frozen, 'Unfreeze'))).responseUrl);
      expect(textOf(thawed)).toContain(`Card •••• ${h.last4s[0]} unfrozen.`);
      expect((await card(h.cardIds[0]!)).frozenBy).toBeNull();
      const rows = await deskAudit(desk.app, { target: h.cardIds[0]! });
      expect(rows.map((r) => [r.action, (r.before as { frozenBy: unknown }).frozenBy, (r.after as { frozenBy: unknown }).frozenBy])).toEqual([
        ['card.freeze', null, 'support'],
        ['card.unfreeze', 'support', null],
      ]);
    });

    it('History opens a modal for two days (this month by default); a bad day is that field\'s error; valid days upload the CSV into the channel with the totals', async () => {
      const h = await holder(desk.app, { funds: 2000n, purchases: [250n] });
      const opened = desk.fake.state.views.length;
      const press = await desk.press(button(await page(h.username), 'History'));
      const modal = await desk.modal(opened + 1);
      const read = readBlocks(modal.view);
      expect(read.title).toBe('History');
      expect(read.inputs.map((i) => i.blockId)).toEqual(['from', 'to']);
      const month = desk.app.services.money.history.quick('this-month');
      const initial = (modal.view.blocks as { block_id?: string; element?: { initial_value?: string } }[]).filter((b) => b.element).map((b) => b.element!.initial_value);
      expect(initial).toEqual([month.from, month.to]);
      const cases: [Record<string, string>, string, string][] = [
        [{ from: '2026-11-01', to: month.to }, 'from', 'Dates are written mm/dd/yyyy. Use mm/dd/yyyy, e.g. 11/01/2026.'],
        [{ from: month.from, to: '02/30/2026' }, 'to', '02/30/2026 is not a date on the calendar. Use mm/dd/yyyy, e.g. 11/01/2026.'],
        [{ from: month.to, to: '01/01/2020' }, 'to', `The period ends (01/01/2020) before it starts (${month.to}).`],
      ];
      for (const [values, field, said] of cases) {
        const r = await desk.submit(modal, values);
        expect((r.ack as { errors: Record<string, string> }).errors, JSON.stringify(values)).toEqual({ [field]: expect.stringContaining(said) });
      }
      const shares = desk.fake.state.shares.length;
      const ok = await desk.submit(modal, { from: month.from, to: month.to });
      expect(ok.ack).toBeUndefined();
      expect(textOf(await desk.response(press.responseUrl))).toContain(`History of ${h.username}, ${month.from} – ${month.to}: 2 movements.`);
      expect(desk.fake.state.shares).toHaveLength(shares + 1);
      expect(desk.fake.state.shares.at(-1)).toMatchObject({ channel: 'C0SUPPORT', filename: expect.stringMatching(/^omnipay-history-\d{8}-\d{8}\.csv$/) });
      expect(desk.fake.state.shares.at(-1)!.content.toString('utf8')).toContain(',purchase,Shop 1,JPY,-250');
    });

    it('a repeated request acts once: the same Freeze press sent twice, the same unlock submission sent twice (also at once)', async () => {
      const h = await holder(desk.app);
      const press = desk.pressPayload(button(await page(h.username), 'Freeze'), USERS.sam, desk.fake.responseUrl());
      await desk.slack.interaction(press);
      await desk.slack.interaction(press);
      const url = (press as { response_url: string }).response_url;
      const answers = [await desk.response(url, 0), await desk.response(url, 1)].map(textOf);
      expect(answers.filter((t) => t.includes('frozen by support.'))).toHaveLength(1);
      expect(answers.filter((t) => t.includes('This request was handled already; nothing more was done.'))).toHaveLength(1);
      expect(await deskAudit(desk.app, { action: 'card.freeze', target: h.cardIds[0]! })).toHaveLength(1);

      await lockLogin(desk.app, h.memberId);
      const opened = desk.fake.state.views.length;
      const unlock = await desk.press(button(await page(h.username), 'Unlock log-in'));
      const modal = await desk.modal(opened + 1);
      const submission = desk.submission(modal, { reason: 'twice' }, USERS.sam);
      await Promise.all([desk.slack.viewSubmission(submission), desk.slack.viewSubmission(submission)]);
      const told = [await desk.response(unlock.responseUrl, 0), await desk.response(unlock.responseUrl, 1)].map(textOf);
      expect(told.filter((t) => t.includes('Log-in unlocked'))).toHaveLength(1);
      expect(told.filter((t) => t.includes('This request was handled already'))).toHaveLength(1);
      expect(await deskAudit(desk.app, { action: 'member.login-unlocked', target: h.memberId })).toHaveLength(1);
    });

    it('a stranger pressing Freeze or submitting an unlock modal is refused ephemerally, nothing changes, and both attempts are audited', async () => {
      const h = await holder(desk.app);
      await lockLogin(desk.app, h.memberId);
      const shown = await page(h.username);
      const press = await desk.press(button(shown, 'Freeze'), USERS.eve);
      const said = await desk.response(press.responseUrl);
      expect(said).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(textOf(said)).toContain('only OMNIPAY support users can use this desk');
      expect(JSON.stringify(said)).not.toContain(h.username);
      const opened = desk.fake.state.views.length;
      await desk.press(button(shown, 'Unlock log-in'), USERS.sam);
      const modal = await desk.modal(opened + 1);
      const sub = await desk.submit(modal, { reason: 'let me in' }, USERS.eve);
      expect(textOf((sub.ack as { view: unknown }).view)).toContain('only OMNIPAY support users can use this desk');
      expect((await card(h.cardIds[0]!)).frozenBy).toBeNull();
      expect((await member(h.memberId)).lockedUntil).not.toBeNull();
      // The modal's refusal is audited right after its ack.
      await expect.poll(() => deskAudit(desk.app, { actor: `slack:${USERS.eve.id}`, action: 'desk.refused' }).then((r) => r.length)).toBe(2);
      const rows = await deskAudit(desk.app, { actor: `slack:${USERS.eve.id}`, action: 'desk.refused' });
      expect(rows.map((r) => r.target)).toEqual([`Freeze ${h.cardIds[0]}`, 'modal desk.confirm']);
      expect(rows.every((r) => r.actorName === USERS.eve.name)).toBe(true);
    });
  });
}
