/**
 * Freeze racing charge completions and usages on one card (issue 14, item 4), as one round that
 * test/reliability/races.test.ts runs once per set-up and bench/soak.ts runs many times: `charges`
 * charges each completed 3 times at once, `usages` usages of 1,000 JPY and 6 freeze/unfreeze toggles,
 * all concurrently on a card funded with 10,000 JPY. The round returns its figures and every broken
 * invariant in words (none expected): each charge credited exactly once, no usage refused for
 * another reason than money or the freeze, balance = funds + charges − approved usages and never
 * negative, the card ends unfrozen (the last toggle), verifyLedger clean.
 */
import { cardAccount, operatorAccount, post, verifyLedger } from '../../src/services/ledger/index.js';
import { setRate } from '../../src/services/fx/rates.js';
import type { TestApp } from '../support/app.js';
import { memberWithCards } from '../support/cards.js';

export const USAGE = 1000n;
export const FUNDS = 10_000n;

export interface RaceRound {
  charges: number;
  completions: number;
  replayedCompletions: number;
  usages: number;
  approved: number;
  toggles: number;
  balance: string;
  /** Broken invariants, in words. */
  broken: string[];
}

export async function raceRound(app: TestApp, o: { charges?: number; usages?: number } = {}): Promise<RaceRound> {
  const CHARGES = o.charges ?? 5;
  const USAGES = o.usages ?? 40;
  const broken: string[] = [];
  await setRate(app.db, { base: 'USD', quote: 'JPY', rate: '150', spreadBps: 100, feeBps: 100, setBy: 'test', at: app.clock.now() });
  const m = await memberWithCards(app.db);
  const card = m.cardIds[0]!;
  await app.db.tx((tx) => post(tx, { idempotencyKey: `fund:${card}`, kind: 'charge', at: app.clock.now(), postings: [{ account: cardAccount(card, 'JPY'), amount: FUNDS }, { account: operatorAccount('funding', 'JPY'), amount: -FUNDS }] }));
  const charges = [];
  for (let i = 0; i < CHARGES; i++) {
    const q = await app.services.money.charges.quote({ memberId: m.memberId, cardId: card, from: 'USD', to: 'JPY', text: `${2000 + i} JPY`, lang: 'en' });
    if (!q.ok) throw new Error(`quote refused: ${JSON.stringify(q)}`);
    charges.push(await app.services.money.charges.confirm({ quoteId: q.quote.quoteId, memberId: m.memberId, chatKey: 'test:races', lang: 'en' }));
  }
  const who = { memberId: m.memberId, actor: 'test' };
  const toggles = (async () => {
    for (let i = 0; i < 6; i++) await (i % 2 === 0 ? app.services.cards.freeze(card, 'cardholder', who) : app.services.cards.unfreeze(card, 'cardholder', who));
  })();
  const [, completions, usages] = await Promise.all([
    toggles,
    Promise.all(charges.flatMap((c) => [1, 2, 3].map(() => app.services.money.charges.complete(c.chargeId, 'race')))),
    Promise.all(Array.from({ length: USAGES }, (_, i) => app.services.money.usage.record({ processorId: `race:${card}:${i}`, cardId: card, kind: 'purchase', amount: USAGE, currency: 'JPY' }))),
  ]);

  const notCompleted = completions.filter((c) => c.status !== 'completed');
  if (notCompleted.length) broken.push(`${notCompleted.length} completions answered ${JSON.stringify([...new Set(notCompleted.map((c) => c.status))])}`);
  const firsts = completions.filter((c) => !c.replayed).length;
  if (firsts !== CHARGES) broken.push(`${firsts} completions were not replays (want ${CHARGES}, one per charge)`);
  let credited = 0n;
  for (const c of charges) {
    const entries = await app.db.prisma.journalEntry.count({ where: { memo: c.reference } });
    if (entries !== 1) broken.push(`charge ${c.reference} has ${entries} journal entries`);
    credited += BigInt((await app.db.prisma.charge.findUniqueOrThrow({ where: { id: c.chargeId } })).toAmount);
  }
  const approved = usages.filter((u) => u.status === 'approved').length;
  const odd = usages.filter((u) => u.status !== 'approved').map((u) => u.reason).filter((r) => r !== 'insufficient-funds' && r !== 'card-frozen');
  if (odd.length) broken.push(`usages refused for ${JSON.stringify(odd)}`);
  if (BigInt(approved) * USAGE > FUNDS + credited) broken.push(`${approved} usages approved beyond the money there was`);
  const balance = (await app.db.prisma.ledgerAccount.findUniqueOrThrow({ where: { code: `card:${card}:JPY` } })).balance;
  if (balance !== FUNDS + credited - BigInt(approved) * USAGE) broken.push(`balance ${balance} ≠ funds + charges − approved usages (${FUNDS + credited - BigInt(approved) * USAGE})`);
  if (balance < 0n) broken.push(`balance ${balance} is negative`);
  if ((await app.db.prisma.card.findUniqueOrThrow({ where: { id: card } })).frozenBy !== null) broken.push('the card is frozen after the last unfreeze');
  const violations = (await verifyLedger(app.db)).violations;
  if (violations.length) broken.push(`ledger verify: ${JSON.stringify(violations).slice(0, 400)}`);
  return { charges: CHARGES, completions: completions.length, replayedCompletions: completions.length - firsts, usages: USAGES, approved, toggles: 6, balance: String(balance), broken };
}
