import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBlocks } from '../../../../src/testkit/slack/blocks.js';
import { SETUPS } from '../../../support/db.js';
import { memberWithCards } from '../../../support/cards.js';
import { fund } from '../../../services/support-money/helpers.js';
import { DeskHarness, textOf, USERS } from './harness.js';

// What is trimmed depends on counts, not on the database: one set-up is enough.
const setup = SETUPS[0]!;

describe(`long answers stay inside Slack's limits (${setup.db} + ${setup.store})`, () => {
  let desk: DeskHarness;
  beforeAll(async () => {
    desk = await DeskHarness.start(setup);
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('a member with 12 cards and 30 movements: 8 cards and 10 movements shown with "and N more" lines, at most 50 blocks, every limit kept', async () => {
    const m = await memberWithCards(desk.app.db, { cards: 12 });
    await fund(desk.app, m.cardIds[0]!, 100_000n);
    for (let i = 0; i < 29; i++) await desk.app.services.money.usage.record({ processorId: `many:${i}:${m.memberId}`, cardId: m.cardIds[0]!, kind: 'purchase', amount: 100n + BigInt(i), currency: 'JPY', merchant: `${'A very long merchant name '.repeat(4)}${i}` });
    const page = await desk.response((await desk.command(`lookup ${m.username}`)).responseUrl);
    const blocks = (page as { blocks: unknown[] }).blocks;
    expect(blocks.length).toBeLessThanOrEqual(50);
    const text = textOf(page);
    expect(text).toContain('and 4 more cards');
    expect(text).toContain(`and 20 more — \`/omnipay history ${m.username} <mm/dd/yyyy> <mm/dd/yyyy>\` sends them all as a CSV`);
    expect(readBlocks(page).buttons.filter((b) => b.text === 'Refund')).toHaveLength(10);
    desk.expectWithinLimits();
  });

  it('/omnipay audit shows the newest 20 actions and says older ones are not shown', async () => {
    const m = await memberWithCards(desk.app.db);
    for (let i = 0; i < 22; i++) {
      const kind = i % 2 === 0 ? 'freeze' : 'unfreeze';
      await desk.app.services.desk.actions.run({ userId: USERS.kim.id, name: USERS.kim.name, requestId: `test:${m.memberId}:${i}` }, kind, m.cardIds[0]!);
    }
    const r = readBlocks(await desk.response((await desk.command(`audit ${m.username}`)).responseUrl));
    expect(r.texts[0]).toBe(`Support actions for ${m.username}`);
    expect(r.texts.filter((t) => t.includes('`card.'))).toHaveLength(20);
    expect(r.texts.at(-1)).toBe('Older actions are not shown.');
    desk.expectWithinLimits();
  });
});
