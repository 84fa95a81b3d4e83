import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CardSecrets } from '../../../src/services/cards/secrets.js';
import { PIN_MAX_FAILURES } from '../../../src/services/cards/service.js';
import { testApp, type TestApp } from '../../support/app.js';
import { createMember } from '../../support/members.js';

/** A PIN of four digits other than `pin`. */
const otherPin = (pin: string, i: number) => String((Number(pin) + 1 + i) % 10_000).padStart(4, '0');

// Real concurrency needs real connections: PGlite has one and queues transactions.
describe('concurrent PIN guesses on PostgreSQL', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp({ db: 'postgres', store: 'redis' });
  });
  afterAll(async () => {
    await app?.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('checks at most PIN_MAX_FAILURES initial PINs of a burst of 20 (the right one among them) and locks the PIN', async () => {
    const m = await createMember(app);
    const issued = await app.services.cards.issue({ email: m.email });
    const pin = issued.pinMailer.initialPin;
    const verify = vi.spyOn(CardSecrets.prototype, 'verifyPin');
    const guesses = [...Array.from({ length: 19 }, (_, i) => otherPin(pin, i)), pin];
    const results = await Promise.all(guesses.map((g) => app.services.cards.checkInitialPin(m.id, issued.pinMailer.last4, g)));
    expect(verify.mock.calls.length).toBeLessThanOrEqual(PIN_MAX_FAILURES);
    const card = (await app.db.prisma.card.findUniqueOrThrow({ where: { id: issued.card.id } }));
    // Either the right PIN was among the tries counted (and proved the card), or the PIN is locked now.
    if (results.some((r) => r.ok)) expect(card.pinLocked).toBe(false);
    else expect(card.pinLocked).toBe(true);
    expect(card.pinFailures).toBeLessThanOrEqual(PIN_MAX_FAILURES);
  });

  it('checks at most PIN_MAX_FAILURES current PINs of a burst of 20 before a PIN change, then refuses the right one', async () => {
    const m = await createMember(app);
    const issued = await app.services.cards.issue({ email: m.email });
    const pin = issued.pinMailer.initialPin;
    const proved = await app.services.cards.checkInitialPin(m.id, issued.pinMailer.last4, pin);
    if (!proved.ok) throw new Error('expected the initial PIN to match');
    expect((await app.services.cards.enroll(m.id, proved.cardId, proved.proof)).ok).toBe(true);
    const verify = vi.spyOn(CardSecrets.prototype, 'verifyPin');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => app.services.cards.verifyCurrentPin(m.id, issued.card.id, otherPin(pin, i))));
    expect(verify.mock.calls.length).toBe(PIN_MAX_FAILURES);
    expect(results.filter((r) => !r.ok && r.reason === 'wrong')).toHaveLength(PIN_MAX_FAILURES - 1);
    expect(results.filter((r) => !r.ok && r.reason === 'locked')).toHaveLength(20 - (PIN_MAX_FAILURES - 1));
    expect(await app.services.cards.verifyCurrentPin(m.id, issued.card.id, pin)).toEqual({ ok: false, reason: 'locked' });
    expect(await app.db.prisma.alert.count({ where: { kind: 'pin-lock', cardId: issued.card.id } })).toBe(1);
  });
});
