/**
 * Canary test: a card number and PINs we chose go through issuance, Card Registration and Change PIN
 * in chat; afterwards none of them may appear in any text column of any table, in the store (every
 * Redis key, or the snapshots the in-process store keeps in the database), or in the captured logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../src/domain/cards/luhn.js';
import { RedisStore } from '../../../src/infra/store/redis.js';
import { Engine } from '../../../src/engine/engine.js';
import { SETUPS, TEST_REDIS_URL, uniqueName } from '../../support/db.js';
import { everything } from '../../support/at-rest.js';
import { testApp, type TestApp } from '../../support/app.js';
import { createMember, loggedInChat } from '../../support/members.js';
import { standalone } from '../../support/secrets.js';

const BODY = '999901' + '314159265';
const CANARY_PAN = BODY + luhnCheckDigit(BODY);
const CANARY_PIN = '7392';
const CANARY_NEW_PIN = '6158';

for (const setup of SETUPS) {
  describe(`no card number or PIN at rest on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    let prefix: string | null = null;
    beforeAll(async () => {
      if (setup.store === 'redis') {
        prefix = `${uniqueName('omnipay-canary')}:`;
        const store = await RedisStore.connect(TEST_REDIS_URL, prefix);
        app = await testApp(setup, {}, { store });
        app.onClose(() => store.close());
      } else {
        app = await testApp(setup);
      }
    });
    afterAll(async () => {
      await app?.close();
    });

    it('keeps the canary number and PINs out of every column, the store and the logs', async () => {
      const issued = await app.services.cards.issue({ email: 'canary@example.test', currency: 'JPY' }, { pan: CANARY_PAN, pin: CANARY_PIN });
      expect(issued.embossing.pan).toBe(CANARY_PAN);
      expect(issued.pinMailer.initialPin).toBe(CANARY_PIN);
      const m = await createMember(app, { email: 'canary@example.test' });
      const chat = await loggedInChat(app, m);

      // Card Registration with a wrong PIN first, then the canary.
      await chat.send('/enroll');
      await chat.send(issued.card.last4);
      await chat.send('5821');
      await chat.send(issued.card.last4);
      await chat.send(CANARY_PIN);
      await chat.send(CANARY_PIN); // typed again at the CAPTCHA step
      await chat.send('TEST42');
      await chat.press('ENROLL');
      expect(chat.texts[0]).toContain('A card has been enrolled');
      await chat.press('OK');

      // Change PIN: current (canary) → new canary twice.
      await chat.send('/pin');
      await chat.send(CANARY_PIN);
      await chat.send(CANARY_NEW_PIN);
      await chat.send(CANARY_NEW_PIN);
      expect(chat.texts[0]).toContain('has been changed');
      // A PIN change left half-way (the snapshot holds the proof and the digest, never the PIN).
      await chat.send('/pin');
      await chat.send(CANARY_NEW_PIN);
      await chat.send(CANARY_PIN);

      const all = await everything(app, prefix, [Engine.chatKey('test', chat.chatId)]);
      expect(all.length).toBeGreaterThan(50);
      const leaks = all.filter((line) => line.includes(CANARY_PAN) || line.includes(CANARY_PAN.slice(4)) || standalone(CANARY_PIN).test(line) || standalone(CANARY_NEW_PIN).test(line));
      expect(leaks).toEqual([]);
      // The scan would have seen them: the last 4 and the card id are there.
      expect(all.some((l) => l.includes(issued.card.id))).toBe(true);
    });
  });
}
