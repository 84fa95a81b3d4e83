import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/infra/db/database.js';
import { runCli } from '../../src/cli/program.js';
import '../../src/cli/commands.js';
import { isLuhnValid } from '../../src/domain/cards/luhn.js';
import { SETUPS, TEST_PG_URL, uniqueName } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { createMember, loggedInChat } from '../support/members.js';

const run = promisify(execFile);
const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/** Runs `omnipay <argv>` in process against `app`; returns the exit code and what it printed. */
async function cli(app: TestApp, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, app: async () => app });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Enrolls through the chat with a mailer's values (last 4, initial PIN), as a newcomer would. */
async function enrollInChat(app: TestApp, member: Awaited<ReturnType<typeof createMember>>, last4: string, pin: string) {
  const chat = await loggedInChat(app, member);
  await chat.send('/menu');
  await chat.press('Card Registration');
  await chat.send(last4);
  await chat.send(pin);
  await chat.send('TEST42');
  await chat.press('ENROLL');
  return chat.texts[0];
}

describe('omnipay cards issue as a separate process on PostgreSQL', () => {
  const dbName = uniqueName('cli').toLowerCase();
  const url = TEST_PG_URL.replace(/\/[^/]+$/, `/${dbName}`);
  let app: TestApp;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
  });
  afterAll(async () => {
    await app?.close();
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it('prints the embossing record and PIN mailer as JSON; the member enrolls with them in chat', async () => {
    const { stdout } = await run(process.execPath, ['bin/omnipay.mjs', 'cards', 'issue', '--email', 'Newcomer@Example.test', '--currency', 'usd', '--json'], {
      env: { ...process.env, DATABASE_URL: url, APP_SECRET: SECRET, LOG_LEVEL: 'warn', REDIS_URL: '', NODE_ENV: 'test' },
      timeout: 90_000,
    });
    const printed = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      card: { id: string; last4: string; currency: string; status: string };
      embossing: { pan: string; expiry: string };
      pinMailer: { to: string; last4: string; initialPin: string; expiry: string };
    };
    expect(printed.card).toMatchObject({ currency: 'USD', status: 'issued' });
    expect(isLuhnValid(printed.embossing.pan)).toBe(true);
    expect(printed.pinMailer).toMatchObject({ to: 'Newcomer@Example.test', last4: printed.embossing.pan.slice(-4), expiry: printed.embossing.expiry });
    expect(printed.pinMailer.initialPin).toMatch(/^\d{4}$/);

    const db = await openPostgres({ url });
    app = await testApp({ db: 'postgres', store: 'redis' }, {}, { db });
    app.onClose(() => db.close());
    const m = await createMember(app, { email: 'newcomer@example.test' });
    expect(await enrollInChat(app, m, printed.pinMailer.last4, printed.pinMailer.initialPin)).toContain('A card has been enrolled');
    expect(await app.services.cards.getCard(printed.card.id)).toMatchObject({ status: 'enrolled', memberId: m.id });
  }, 120_000);
});

for (const setup of SETUPS) {
  describe(`omnipay cards (in process) on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    const dir = join(tmpdir(), uniqueName('cards-cli'));
    beforeAll(async () => {
      app = await testApp(setup);
      mkdirSync(dir, { recursive: true });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('issue prints the records once as text and writes a printable file; list shows no secret', async () => {
      const file = join(dir, 'mailer.txt');
      const r = await cli(app, ['cards', 'issue', '--email', 'text@example.test', '--out', file]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('EMBOSSING RECORD');
      expect(r.out).toContain('PIN MAILER — to text@example.test');
      const pin = /initial PIN:\s+(\d{4})/.exec(r.out)![1]!;
      const number = /number:\s+([\d ]{19})/.exec(r.out)![1]!.replace(/ /g, '');
      expect(isLuhnValid(number)).toBe(true);
      const printable = readFileSync(file, 'utf8');
      expect(printable).toContain(`initial PIN:  ${pin}`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // Never overwrites a mailer file.
      const again = await cli(app, ['cards', 'issue', '--email', 'text@example.test', '--out', file]);
      expect(again.code).toBe(1);
      expect(again.err).toBe(`omnipay: ${file} already exists; choose another --out file`);

      const list = await cli(app, ['cards', 'list', '--email', 'TEXT@example.test']);
      expect(list.out.split('\n')).toHaveLength(2);
      expect(list.out).toContain(`•••• ${number.slice(-4)}`);
      expect(list.out).not.toContain(number);
      const json = await cli(app, ['cards', 'list', '--email', 'text@example.test', '--json']);
      const parsed = JSON.parse(json.out) as { cards: { last4: string; status: string }[] };
      expect(parsed.cards.map((c) => c.status)).toEqual(['issued', 'issued']);
      expect(json.out).not.toContain(number);
      expect(json.out).not.toContain('initialPin');
    });

    it('refuses bad input with a one-line error and exit code 1', async () => {
      const bad = await cli(app, ['cards', 'issue', '--email', 'nope']);
      expect(bad).toMatchObject({ code: 1, out: '' });
      expect(bad.err).toBe('omnipay: not an e-mail address: nope');
      expect((await cli(app, ['cards', 'issue', '--email', 'a@b.test', '--currency', 'EURO'])).err).toMatch(/ISO 4217/);
      expect((await cli(app, ['cards', 'reissue-pin', '--card', 'no-such-id'])).err).toBe('omnipay: no card with id no-such-id');
      const missing = await cli(app, ['cards', 'issue']);
      expect(missing.code).not.toBe(0);
    });

    it('reissue-pin (by last 4) gives a PIN that enrolls; replace (by id) closes the card and issues another', async () => {
      const m = await createMember(app);
      let first = JSON.parse((await cli(app, ['cards', 'issue', '--email', m.email, '--json'])).out) as { card: { id: string; last4: string }; pinMailer: { initialPin: string; last4: string } };
      // Make the last 4 unique in this database so --card <last4> resolves to it.
      while ((await app.db.prisma.card.count({ where: { last4: first.card.last4 } })) > 1) {
        first = JSON.parse((await cli(app, ['cards', 'issue', '--email', m.email, '--json'])).out);
      }
      const re = await cli(app, ['cards', 'reissue-pin', '--card', first.card.last4, '--json']);
      expect(re.code).toBe(0);
      const mailer = (JSON.parse(re.out) as { pinMailer: { initialPin: string; last4: string; cardId: string } }).pinMailer;
      expect(mailer).toMatchObject({ cardId: first.card.id, last4: first.card.last4 });
      expect(await enrollInChat(app, m, mailer.last4, mailer.initialPin)).toContain('A card has been enrolled');

      const text = await cli(app, ['cards', 'replace', '--card', first.card.id]);
      expect(text.code).toBe(0);
      expect(text.out).toContain(`Card ${first.card.id} closed; replacement`);
      const newId = /replacement (\S+) issued/.exec(text.out)![1]!;
      expect(await app.services.cards.getCard(first.card.id)).toMatchObject({ status: 'closed', replacedById: newId });
      const newPin = /initial PIN:\s+(\d{4})/.exec(text.out)![1]!;
      const newLast4 = /card ending:\s+(\d{4})/.exec(text.out)![1]!;
      expect(await enrollInChat(app, m, newLast4, newPin)).toContain('A card has been enrolled');
      const closedAgain = await cli(app, ['cards', 'replace', '--card', first.card.id]);
      expect(closedAgain.err).toContain('already closed');
    });

    it('an ambiguous last 4 lists the matching cards in the one-line error', async () => {
      const issued = await app.services.cards.issue({ email: 'amb1@example.test' });
      const last4 = issued.card.last4;
      const body = `999901${'7'.repeat(5)}`;
      let twin = '';
      for (let x = 0; x < 10 && !twin; x++) if (isLuhnValid(`${body}${x}${last4}`)) twin = `${body}${x}${last4}`;
      const other = await app.services.cards.issue({ email: 'amb2@example.test' }, { pan: twin });
      const r = await cli(app, ['cards', 'unlock-pin', '--card', last4]);
      expect(r.code).toBe(1);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toContain(`cards end in ${last4}; use the id:`);
      expect(r.err).toContain(issued.card.id);
      expect(r.err).toContain(other.card.id);
    });

    it('support actions: freeze, unfreeze, unlock-pin', async () => {
      const issued = await app.services.cards.issue({ email: 'sup@example.test' });
      expect((await cli(app, ['cards', 'freeze', '--card', issued.card.id])).out).toContain('frozen by support');
      expect((await app.services.cards.getCard(issued.card.id))!.frozenBy).toBe('support');
      await cli(app, ['cards', 'unfreeze', '--card', issued.card.id]);
      expect((await app.services.cards.getCard(issued.card.id))!.frozen).toBe(false);
      const u = await cli(app, ['cards', 'unlock-pin', '--card', issued.card.id, '--json']);
      expect(JSON.parse(u.out)).toMatchObject({ card: { id: issued.card.id, pinLocked: false } });
    });
  });
}
