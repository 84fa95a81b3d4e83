import { describe, expect, it } from 'vitest';
import { isCardNumberFor } from '../../src/services/cards/numbers.js';
import { cardNumberEnding } from '../../src/testkit/fixtures.js';
import { parseScripts } from '../../src/testkit/parse.js';
import { formatResult } from '../../src/testkit/report.js';
import { runScript } from '../../src/testkit/runner.js';

async function run(yaml: string) {
  const [script] = parseScripts(yaml, 'inline.yaml');
  return runScript(script!, { channel: 'inprocess', isolation: { db: 'pglite', store: 'memory' } });
}

describe('script fixtures and built-in variables', () => {
  it('cardNumberEnding makes a Luhn-valid number under the BIN ending in the 4 digits asked, for every ending', () => {
    for (let n = 0; n < 10_000; n += 37) {
      const last4 = String(n).padStart(4, '0');
      for (const bin of ['999901', '4000123']) {
        const pan = cardNumberEnding(bin, last4);
        expect(pan.endsWith(last4), `${bin} ${last4}`).toBe(true);
        expect(isCardNumberFor(bin, pan), `${pan}`).toBe(true);
      }
    }
    expect(() => cardNumberEnding('999901', '42')).toThrow('fixture.card.last4 must be 4 digits');
  });

  it('fixture.card.last4 chooses the card\'s last 4, and fixture.others adds members with their own cards, in no chat', async () => {
    const r = await run(`
name: two cardholders whose cards end alike
fixture:
  member: { username: kenji, email: kenji@example.com, password: Correct-Horse-Battery-42 }
  card: { currency: JPY, balance: "100", last4: "4242" }
  others:
    - member: { username: kenta, email: kenta@example.com, password: Correct-Horse-Battery-43 }
      card: { currency: USD, last4: "4242" }
steps:
  - cli: cards list --email kenji@example.com
    expect: { contains: "•••• 4242  JPY  enrolled", not: USD }
  - cli: cards list --email kenta@example.com
    expect: { contains: "•••• 4242  USD  enrolled", not: JPY }
  - send: /balance
  - expect: { contains: ["Card •••• \${last4}", "100 JPY"], not: USD }
`);
    expect(r.status, formatResult(r)).toBe('passed');
    expect(r.transcript.join('\n')).toContain('last4=4242');
  });

  it('refuses a fixture last 4 that is not 4 digits, others without a member, and unknown fixture keys', () => {
    const bad = (fixture: string) => () => parseScripts(`name: x\nfixture:\n${fixture}\nsteps:\n  - send: hi\n`, 'bad.yaml');
    const member = '  member: { username: a_b, email: a@example.com, password: Correct-Horse-Battery-42 }';
    expect(bad(`${member}\n  card: { currency: JPY, last4: "42" }`)).toThrow('fixture.card.last4: 4 digits in quotes');
    expect(bad('  others: []')).toThrow('fixture.others needs fixture.member');
    expect(bad(`${member}\n  others: [{ member: { username: b } }]`)).toThrow('fixture.others[0].member.email is required');
    expect(bad(`${member}\n  cards: []`)).toThrow('fixture: unknown key "cards"');
  });

  it('${today} and ${firstOfMonth} are days in mm/dd/yyyy in the operator\'s zone as the script starts', async () => {
    const r = await run(`
name: days
steps:
  - send: "\${firstOfMonth} to \${today}"
`);
    expect(r.status, formatResult(r)).toBe('passed');
    const [m, d, y] = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()).split('/');
    expect(r.transcript).toContain(`user > ${m}/01/${y} to ${m}/${d}/${y}`);
  });
});
