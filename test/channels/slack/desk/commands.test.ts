import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBlocks } from '../../../../src/testkit/slack/blocks.js';
import { SETUPS } from '../../../support/db.js';
import { createMember } from '../../../support/members.js';
import { balance, deskAudit, holder, lockLogin, lockPin } from './fixtures.js';
import { button, CHANNEL, DeskHarness, labels, textOf, USERS } from './harness.js';

for (const setup of SETUPS) {
  describe(`/omnipay commands on ${setup.db} + ${setup.store}`, () => {
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

    it('help is an ephemeral ack listing lookup, history, rates and audit, with no warning when three support users can approve', async () => {
      const r = await desk.command('help');
      expect(r.status).toBe(200);
      expect(r.ack).toMatchObject({ response_type: 'ephemeral' });
      const text = textOf(r.ack);
      for (const form of ['/omnipay lookup <username | e-mail | last 4>', '/omnipay history <username> <mm/dd/yyyy> <mm/dd/yyyy>', '/omnipay rates', '/omnipay audit [<username>]']) expect(text).toContain(form);
      expect(text).toContain('(admins also set them)');
      expect(text).not.toContain('cannot be approved');
      expect(textOf((await desk.command('', USERS.ada)).ack)).toContain('/omnipay rates set <FROM> <TO> <rate>');
    });

    it('lookup counts wrong passwords in a row as the log-in counts them (per username), and none once they are cleared (as a log-in clears them)', async () => {
      const h = await holder(desk.app);
      for (const pw of ['Wrong-Password-1', 'Wrong-Password-2']) await desk.app.services.members.sessions.checkLogin(h.username.toUpperCase(), pw);
      const text = async () => readBlocks(await desk.response((await desk.command(`lookup ${h.username}`)).responseUrl)).texts.join('\n');
      expect(await text()).toContain('*Log-in*\nnot locked (2 failed)');
      await desk.app.db.tx((tx) => desk.app.services.members.sessions.clearLoginFailures(tx, h.memberId));
      expect(await text()).toContain('*Log-in*\nnot locked\n*E-mail*');
    });

    it('lookup by username shows status, language, log-in lock, dates, each card (last 4, state, PIN lock, balance), recent movements, and only the buttons that apply', async () => {
      const h = await holder(desk.app, { charges: [5000n], purchases: [1200n] });
      const until = await lockLogin(desk.app, h.memberId);
      await lockPin(desk.app, h.cardIds[0]!);
      const r = await desk.command(`lookup ${h.username}`);
      expect(r.ack).toBeUndefined();
      const answer = await desk.response(r.responseUrl);
      expect(answer).toMatchObject({ response_type: 'ephemeral' });
      const read = readBlocks(answer);
      expect(read.texts[0]).toBe(`${h.username} · Test ${h.username.slice(5)}`);
      const text = read.texts.join('\n');
      expect(text).toContain('*Status*\nactive');
      expect(text).toContain('*Language*\nen');
      expect(text).toMatch(/\*Log-in\*\nlocked until \d\d\/\d\d\/\d{4} \d\d:\d\d/);
      expect(text).toContain('*Created*\n');
      expect(text).toContain('*Activated*\n');
      expect(text).toContain(`*Card •••• ${h.last4s[0]}* · JPY · enrolled · PIN locked\nBalance: 3,800 JPY`);
      expect(text).toContain(`Purchase · Shop 1 · •••• ${h.last4s[0]} · *-1,200 JPY*`);
      expect(text).toContain('Charge');
      expect(labels(answer)).toEqual(['Unlock log-in', 'History', 'Reset PIN lock', 'Freeze', 'Refund', 'Reverse']);
      expect(button(answer, 'Refund').value).toBe(h.purchases[0]);
      expect(button(answer, 'Reverse').value).toBe(h.charges[0]);
      expect(button(answer, 'Unlock log-in').value).toBe(h.memberId);
      expect(until.getTime()).toBeGreaterThan(Date.now());
      const [row] = await deskAudit(desk.app, { action: 'desk.lookup', memberId: h.memberId });
      expect(row).toMatchObject({ actor: `slack:${USERS.sam.id}`, actorName: USERS.sam.name, target: h.memberId });
      expect(row?.requestId).toMatch(/^command:/);
    });

    it('lookup by e-mail (any case) and by card last 4 find the same member; an unlocked member with no movements gets no Unlock, Refund or Reverse', async () => {
      const m = await holder(desk.app);
      for (const q of [m.email.toUpperCase(), m.last4s[0]!]) {
        const r = await desk.command(`lookup ${q}`);
        const answer = await desk.response(r.responseUrl);
        // Another fixture may share the last 4 digits; then the list offers this member.
        const read = readBlocks(answer);
        if (read.buttons.some((b) => b.actionId === 'desk.pick')) {
          const pick = await desk.press(read.buttons.find((b) => b.value === m.memberId)!);
          expect(readBlocks(await desk.response(pick.responseUrl)).texts[0]).toContain(m.username);
          continue;
        }
        expect(read.texts[0]).toContain(m.username);
        expect(labels(answer)).toEqual(['History', 'Freeze']);
        expect(textOf(answer)).toContain('No movements yet.');
      }
    });

    it('an unknown member is "no match" naming what was searched, for a username, an e-mail and a last 4', async () => {
      const cases: [string, string][] = [
        ['nobody_here', 'the username “nobody_here” (searched usernames)'],
        ['nobody@example.test', 'the e-mail address “nobody@example.test” (searched e-mail addresses)'],
        ['0000', 'a card ending in “0000” (searched the last 4 digits of cards)'],
      ];
      for (const [q, said] of cases) {
        const r = await desk.command(`lookup ${q}`);
        const answer = await desk.response(r.responseUrl);
        expect(textOf(answer)).toContain(`No match: no cardholder has ${said}.`);
        expect(textOf(answer)).toContain('e.g. `/omnipay lookup alice`');
        expect(labels(answer)).toEqual([]);
      }
    });

    it('a last 4 shared by two cardholders answers a list to pick from; picking one shows that member', async () => {
      const a = await holder(desk.app);
      const b = await holder(desk.app);
      await desk.app.db.prisma.card.update({ where: { id: b.cardIds[0]! }, data: { last4: a.last4s[0]! } });
      const r = await desk.command(`lookup ${a.last4s[0]}`);
      const list = await desk.response(r.responseUrl);
      expect(textOf(list)).toMatch(new RegExp(`^\\d+ cardholders match “${a.last4s[0]}” \\(searched the last 4 digits of cards\\): pick one\\.`));
      expect(labels(list)).toEqual(expect.arrayContaining([a.username, b.username]));
      const picked = await desk.press(button(list, b.username));
      const page = await desk.response(picked.responseUrl);
      expect(page).toMatchObject({ replace_original: true });
      expect(readBlocks(page).texts[0]).toContain(b.username);
    });

    it('wrong forms are answered at once with the form expected and an example, and nothing is looked up', async () => {
      const cases: [string, string, string][] = [
        ['lookup', 'Say whom to look up.', '`/omnipay lookup <username | e-mail | last 4>`, e.g. `/omnipay lookup alice`'],
        ['lookup alice bob', 'Look up one username, e-mail or last 4 at a time.', 'e.g. `/omnipay lookup alice`'],
        ['frobnicate', '`frobnicate` is not a desk command.', '`/omnipay lookup <username | e-mail | last 4>`'],
        ['history alice', 'History needs a username and two days.', 'e.g. `/omnipay history alice 11/01/2026 11/30/2026`'],
        ['history alice 02/30/2026 03/01/2026', '02/30/2026 is not a date on the calendar.', 'e.g. `/omnipay history alice 11/01/2026 11/30/2026`'],
        ['history alice 11/30/2025 11/01/2025', 'The period ends (11/01/2025) before it starts (11/30/2025).', '`/omnipay history <username> <mm/dd/yyyy> <mm/dd/yyyy>`'],
        ['history alice 2025-11-01 2025-11-30', 'Dates are written mm/dd/yyyy.', 'e.g. `/omnipay history alice 11/01/2026 11/30/2026`'],
        ['rates set JPY', 'That is not a rates command.', 'e.g. `/omnipay rates set JPY USD 0.0066`'],
        ['audit a b', 'Audit takes at most one username.', 'e.g. `/omnipay audit`'],
      ];
      const before = desk.fake.calls.length;
      for (const [text, problem, form] of cases) {
        const r = await desk.command(text);
        expect(r.ack, text).toMatchObject({ response_type: 'ephemeral' });
        expect(textOf(r.ack), text).toContain(problem);
        expect(textOf(r.ack), text).toContain(form);
      }
      expect(desk.fake.calls.slice(before).filter((c) => c.method !== 'auth.test')).toEqual([]);
    });

    it('history uploads the CSV the cardholder would get into the channel the command came from (files.uploadV2), with the totals, and audits the export', async () => {
      const h = await holder(desk.app, { charges: [5000n], purchases: [1200n, 300n] });
      const today = desk.app.services.money.history.quick('this-month');
      const r = await desk.command(`history ${h.username} ${today.from} ${today.to}`);
      const answer = await desk.response(r.responseUrl);
      expect(textOf(answer)).toContain(`History of ${h.username}, ${today.from} – ${today.to}: 3 movements.`);
      expect(textOf(answer)).toContain('JPY: in 5,000 JPY, out 1,500 JPY');
      const share = desk.fake.state.shares.at(-1)!;
      expect(share).toMatchObject({ channel: CHANNEL, title: `History of ${h.username}, ${today.from} – ${today.to}` });
      const csv = await desk.app.services.money.history.csv(h.memberId, today.from, today.to);
      expect(share.filename).toBe(csv.name);
      expect(share.content.toString('utf8')).toBe(Buffer.from(csv.content, 'base64').toString('utf8'));
      expect(share.content.toString('utf8').split('\r\n')[0]).toBe('date,time,card,type,description,currency,amount');
      expect(desk.fake.callsTo('files.getUploadURLExternal').at(-1)?.args).toMatchObject({ filename: csv.name });
      expect(desk.fake.callsTo('files.completeUploadExternal').at(-1)?.args).toMatchObject({ channel_id: CHANNEL });
      expect(await deskAudit(desk.app, { action: 'desk.history', memberId: h.memberId })).toHaveLength(1);
    });

    it("history names the operator's zone its days are in and, beside it, the zone the cardholder chose", async () => {
      const h = await holder(desk.app, { charges: [5000n] });
      const today = desk.app.services.money.history.quick('this-month');
      const same = await desk.command(`history ${h.username} ${today.from} ${today.to}`);
      expect(textOf(await desk.response(same.responseUrl))).toContain("Days in the operator's zone, Asia/Tokyo (JST); the cardholder's zone: Asia/Tokyo (JST) (the same).");
      await desk.app.db.prisma.member.update({ where: { id: h.memberId }, data: { timeZone: 'America/New_York' } });
      const r = await desk.command(`history ${h.username} ${today.from} ${today.to}`);
      const text = textOf(await desk.response(r.responseUrl));
      expect(text).toMatch(/the cardholder's zone: America\/New_York \((EST|EDT)\)\./);
      expect(text).not.toMatch(/<\/?(b|code|pre)>/);
    });

    it('history of an unknown username says no match, and one the bot cannot upload into says why (not_in_channel), with the totals', async () => {
      const miss = await desk.command('history nobody_here 11/01/2025 11/30/2025');
      expect(textOf(await desk.response(miss.responseUrl))).toContain('No match: no cardholder has the username “nobody_here” (searched usernames).');
      const h = await holder(desk.app, { purchases: [100n], funds: 1000n });
      desk.fake.fail('files.completeUploadExternal', 'not_in_channel');
      const p = desk.app.services.money.history.quick('this-month');
      const r = await desk.command(`history ${h.username} ${p.from} ${p.to}`);
      const answer = textOf(await desk.response(r.responseUrl));
      expect(answer).toContain('The CSV could not be uploaded here (Slack said `not_in_channel`: invite the app to this channel');
      expect(answer).toContain('2 movements');
    });

    it('rates lists every pair; an admin sets one (audited with the rate before and after); support is refused (audited) and nothing is stored', async () => {
      const set1 = await desk.command('rates set USD JPY 150', USERS.ada);
      expect(textOf(await desk.response(set1.responseUrl))).toContain('Rate set: 1 USD = 150 JPY (spread 100 bps, fee 100 bps); before: none.');
      const set2 = await desk.command('rates set usd jpy 151.5', USERS.ada);
      expect(textOf(await desk.response(set2.responseUrl))).toContain('Rate set: 1 USD = 151.5 JPY (spread 100 bps, fee 100 bps); before: 150 (spread 100 bps, fee 100 bps).');
      const rows = await deskAudit(desk.app, { action: 'fx.rate.set' });
      expect(rows.at(-1)).toMatchObject({ actor: `slack:${USERS.ada.id}`, actorName: USERS.ada.name, target: 'USD/JPY', before: { rate: '150' }, after: { rate: '151.5' } });
      const refused = await desk.command('rates set USD JPY 1', USERS.sam);
      expect(textOf(refused.ack)).toContain('Only admins (SLACK_ADMIN_USERS) set rates');
      await expect.poll(() => deskAudit(desk.app, { action: 'desk.refused', actor: `slack:${USERS.sam.id}` }).then((r) => r.length)).toBe(1);
      const bad = await desk.command('rates set USD XXX 1', USERS.ada);
      expect(textOf(await desk.response(bad.responseUrl))).toContain('e.g. `/omnipay rates set JPY USD 0.0066`');
      const list = await desk.command('rates');
      const shown = textOf(await desk.response(list.responseUrl));
      expect(shown).toContain('*USD → JPY* 151.5 · spread 100 bps · fee 100 bps · set by <@U0ADA>');
      expect(await desk.app.db.prisma.fxRate.count({ where: { base: 'USD', quote: 'JPY' } })).toBe(2);
    });

    it('audit lists recent support actions newest first with who (id and name), what and before → after; audit <username> narrows to that member', async () => {
      const h = await holder(desk.app);
      const page = await desk.response((await desk.command(`lookup ${h.username}`)).responseUrl);
      const froze = await desk.press(button(page, 'Freeze'), USERS.kim);
      await desk.response(froze.responseUrl);
      const all = readBlocks(await desk.response((await desk.command('audit')).responseUrl));
      expect(all.texts[0]).toBe('Recent support actions');
      expect(all.texts[1]).toContain(`<@${USERS.kim.id}> (${USERS.kim.name}) · \`card.freeze\``);
      expect(all.texts[1]).toContain('frozenBy: – → support');
      const mine = readBlocks(await desk.response((await desk.command(`audit ${h.username}`)).responseUrl));
      expect(mine.texts[0]).toBe(`Support actions for ${h.username}`);
      expect(mine.texts.slice(1).map((t) => t.match(/`([^`]+)`/)?.[1])).toEqual(['card.freeze', 'desk.lookup']);
      const none = await desk.command('audit nobody_here');
      expect(textOf(await desk.response(none.responseUrl))).toContain('No match: no cardholder has the username “nobody_here”');
      expect(await balance(desk.app, h.cardIds[0]!)).toBe(0n);
    });

    it('a stranger gets an ephemeral refusal for every command, sees no member data, and each attempt is audited with their id and name', async () => {
      const m = await createMember(desk.app);
      const before = desk.fake.calls.length;
      for (const text of ['help', `lookup ${m.username}`, `history ${m.username} 11/01/2025 11/30/2025`, 'rates', 'rates set USD JPY 1', 'audit']) {
        const r = await desk.command(text, USERS.eve);
        expect(r.ack, text).toMatchObject({ response_type: 'ephemeral' });
        const said = textOf(r.ack);
        expect(said).toContain('only OMNIPAY support users can use this desk');
        expect(said).not.toContain(m.username);
        expect(said).not.toContain(m.email);
      }
      expect(desk.fake.calls.slice(before).filter((c) => c.method !== 'auth.test')).toEqual([]);
      expect(desk.fake.responses.filter((x) => JSON.stringify(x.body).includes(m.username))).toEqual([]);
      // Each refusal is audited right after its ack.
      await expect.poll(() => deskAudit(desk.app, { actor: `slack:${USERS.eve.id}` }).then((r) => r.length)).toBe(6);
      const rows = await deskAudit(desk.app, { actor: `slack:${USERS.eve.id}` });
      expect(rows.map((x) => x.action)).toEqual(Array(6).fill('desk.refused'));
      expect(rows.every((x) => x.actorName === USERS.eve.name && x.requestId?.startsWith('command:'))).toBe(true);
      // Written after each ack, so two may land in either order.
      expect(rows.map((x) => x.target).sort()).toEqual(['/omnipay audit', '/omnipay help', '/omnipay history', '/omnipay lookup', '/omnipay rates', '/omnipay rates-set']);
    });
  });
}
