import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBlocks } from '../../../../src/testkit/slack/blocks.js';
import { SETUPS } from '../../../support/db.js';
import { deskAudit, holder, lockLogin } from './fixtures.js';
import { button, CHANNEL, DeskHarness, textOf, USERS } from './harness.js';

// How the desk answers when Slack refuses the way it first tries: about Slack, not the database,
// so one set-up is enough.
const setup = SETUPS[0]!;

describe(`desk answers when Slack refuses a call, on ${setup.db} + ${setup.store}`, () => {
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

  it('a modal Slack will not open (expired_trigger_id) is told to the agent with what Slack said; nothing changes, and pressing again opens it', async () => {
    const h = await holder(desk.app);
    const until = await lockLogin(desk.app, h.memberId);
    const shown = await page(h.username);
    const opened = desk.fake.state.views.length;
    desk.fake.fail('views.open', 'expired_trigger_id');
    const press = await desk.press(button(shown, 'Unlock log-in'), USERS.kim);
    expect(textOf(await desk.response(press.responseUrl))).toContain('The form could not be opened (Slack said `expired_trigger_id`); press the button again.');
    expect(desk.fake.state.views).toHaveLength(opened);
    expect((await desk.app.db.prisma.member.findUniqueOrThrow({ where: { id: h.memberId } })).lockedUntil).toEqual(until);
    expect(await deskAudit(desk.app, { action: 'member.login-unlocked', target: h.memberId })).toEqual([]);
    await desk.press(button(shown, 'Unlock log-in'), USERS.kim);
    expect(readBlocks((await desk.modal(opened + 1)).view).title).toBe('Unlock log-in');
  });

  it('an answer its response_url refuses reaches the agent as an ephemeral message in the channel instead, and one Slack refuses there too as a direct message', async () => {
    const h = await holder(desk.app);
    desk.fake.fail('response_url', 'expired_url');
    const ephemerals = desk.fake.state.ephemerals.length;
    await desk.command(`lookup ${h.username}`, USERS.lee);
    await desk.fake.waitFor(() => (desk.fake.state.ephemerals.length > ephemerals ? true : undefined), 10_000, 'an ephemeral answer');
    const e = desk.fake.state.ephemerals.at(-1)!;
    expect(e).toMatchObject({ channel: CHANNEL, user: USERS.lee.id });
    expect(textOf(e)).toContain(`${h.username} · Test`);

    desk.fake.fail('response_url', 'expired_url');
    desk.fake.fail('chat.postEphemeral', 'not_in_channel');
    await desk.command(`lookup ${h.username}`, USERS.lee);
    await desk.fake.waitFor(() => (desk.fake.messages(USERS.lee.id).length > 0 ? true : undefined), 10_000, 'a direct message');
    expect(textOf(desk.fake.messages(USERS.lee.id).at(-1)!)).toContain(`${h.username} · Test`);
  });
});
