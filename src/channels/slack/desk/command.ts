import type { App, SlashCommand } from '@slack/bolt';
import type { DeskRole } from './access.js';
import { actorOf, afterAck, answer, slackError, type Answer, type Desk } from './context.js';
import type { DeskActor } from './ports.js';
import { findMessage } from './render/member.js';
import { auditMessage, helpMessage, historyMessage, periodProblem, rateSetMessage, ratesMessage, refusalMessage, usageMessage, USAGE } from './render/reports.js';
import { note } from './render/blocks.js';

/** The slash command the desk answers. */
export const COMMAND = '/omnipay';

/** A `/omnipay …` line, read. */
export type DeskCommand =
  | { kind: 'help' }
  | { kind: 'lookup'; query: string }
  | { kind: 'history'; username: string; from: string; to: string }
  | { kind: 'rates' }
  | { kind: 'rates-set'; from: string; to: string; rate: string }
  | { kind: 'audit'; username?: string }
  | { kind: 'bad'; problem: string; usage: string };

/** Reads the text after `/omnipay`; a wrong form says what is expected, with an example. */
export function parseCommand(text: string): DeskCommand {
  const [word = '', ...args] = text.trim().split(/\s+/).filter(Boolean);
  const sub = word.toLowerCase();
  if (sub === '' || sub === 'help') return { kind: 'help' };
  if (sub === 'lookup') {
    if (args.length !== 1) return { kind: 'bad', problem: args.length ? 'Look up one username, e-mail or last 4 at a time.' : 'Say whom to look up.', usage: USAGE.lookup };
    return { kind: 'lookup', query: args[0]! };
  }
  if (sub === 'history') {
    if (args.length !== 3) return { kind: 'bad', problem: 'History needs a username and two days.', usage: USAGE.history };
    return { kind: 'history', username: args[0]!, from: args[1]!, to: args[2]! };
  }
  if (sub === 'rates') {
    if (args.length === 0) return { kind: 'rates' };
    if (args[0]!.toLowerCase() === 'set' && args.length === 4) return { kind: 'rates-set', from: args[1]!, to: args[2]!, rate: args[3]! };
    return { kind: 'bad', problem: 'That is not a rates command.', usage: `${USAGE.rates} or ${USAGE.ratesSet}` };
  }
  if (sub === 'audit') {
    if (args.length > 1) return { kind: 'bad', problem: 'Audit takes at most one username.', usage: USAGE.audit };
    return args.length ? { kind: 'audit', username: args[0]! } : { kind: 'audit' };
  }
  return { kind: 'bad', problem: `\`${word.slice(0, 40)}\` is not a desk command.`, usage: `${USAGE.lookup}; ${USAGE.history}; ${USAGE.rates}; ${USAGE.audit}` };
}

/** Registers `/omnipay`: every answer is ephemeral (only the support user sees cardholder data). */
export function registerCommand(app: App, desk: Desk): void {
  app.command(COMMAND, async ({ command, ack, respond, client, body }) => {
    const actor = actorOf(body);
    const role = desk.access.role(actor.userId);
    const cmd = parseCommand(command.text ?? '');
    if (!role) {
      await ack({ response_type: 'ephemeral', ...refusalMessage() });
      await desk.ports.actions.refused(actor, `${COMMAND} ${cmd.kind}`, 'not a support user');
      return;
    }
    if (cmd.kind === 'help') return ack({ response_type: 'ephemeral', ...helpMessage(role, desk.ports.approvals.canApprove) });
    if (cmd.kind === 'bad') return ack({ response_type: 'ephemeral', ...usageMessage(cmd.problem, cmd.usage) });
    if (cmd.kind === 'rates-set' && role !== 'admin') {
      await ack({ response_type: 'ephemeral', ...note('Only admins (SLACK_ADMIN_USERS) set rates; `/omnipay rates` shows them.') });
      await desk.ports.actions.refused(actor, `${COMMAND} rates set ${cmd.from} ${cmd.to}`, 'not an admin');
      return;
    }
    if (cmd.kind === 'history') {
      // Checked before acking, so a wrong date is answered at once with the form expected.
      const period = desk.ports.reports.checkPeriod(cmd.from, cmd.to);
      if (!period.ok) return ack({ response_type: 'ephemeral', ...usageMessage(periodProblem(period.code, period.vars), USAGE.history) });
    }
    await ack();
    const to: Answer = { respond, client, user: actor.userId, channel: command.channel_id };
    await afterAck(desk, to, `\`${COMMAND} ${cmd.kind}\``, () => run(desk, cmd, actor, role, to, command));
  });
}

async function run(desk: Desk, cmd: Exclude<DeskCommand, { kind: 'help' | 'bad' }>, actor: DeskActor, role: DeskRole, to: Answer, command: SlashCommand): Promise<void> {
  const { ports, zone } = desk;
  switch (cmd.kind) {
    case 'lookup': {
      const found = await ports.lookup.find(cmd.query);
      await ports.reports.audited(actor, { action: 'desk.lookup', ...(found.kind === 'one' ? { target: found.member.id, memberId: found.member.id } : {}), details: { via: 'slack', field: found.field, matches: found.kind === 'none' ? 0 : found.kind === 'one' ? 1 : found.matches.length + found.more } });
      return answer(desk, to, findMessage(found, zone));
    }
    case 'history': {
      const member = await ports.lookup.byUsername(cmd.username);
      if (!member) return answer(desk, to, usageMessage(`No match: no cardholder has the username “${cmd.username}” (searched usernames).`, USAGE.history));
      return sendHistory(desk, to, actor, member, cmd.from, cmd.to, command.channel_id);
    }
    case 'rates':
      return answer(desk, to, ratesMessage(await ports.reports.rates(), zone, role));
    case 'rates-set': {
      const r = await ports.reports.setRate(actor, cmd.from, cmd.to, cmd.rate);
      return answer(desk, to, r.ok ? rateSetMessage(r.rate, r.before) : note(r.message));
    }
    case 'audit': {
      const member = cmd.username ? await ports.lookup.byUsername(cmd.username) : null;
      if (cmd.username && !member) return answer(desk, to, usageMessage(`No match: no cardholder has the username “${cmd.username}” (searched usernames).`, USAGE.audit));
      const log = await ports.reports.auditLog(member?.id);
      return answer(desk, to, auditMessage(log.rows, log.more, zone, member?.username));
    }
  }
}

/**
 * Sends a cardholder's history: the CSV with `files.uploadV2` into the channel (and thread) the
 * request came from, and the totals to the person. An upload Slack refuses is told, with why.
 */
export async function sendHistory(desk: Desk, to: Answer, actor: DeskActor, member: { id: string; username: string }, from: string, until: string, channel: string | undefined): Promise<void> {
  const h = await desk.ports.reports.history(actor, member, from, until);
  if (!h.ok) return answer(desk, to, usageMessage(periodProblem(h.code, h.vars), USAGE.history));
  const summary = historyMessage(h);
  const target = channel ?? to.user;
  try {
    const file = { filename: h.file.name, title: `History of ${h.username}, ${h.from} – ${h.to}`, file: h.file.content, initial_comment: summary.text };
    await to.client.files.uploadV2(to.threadTs ? { ...file, channel_id: target, thread_ts: to.threadTs } : { ...file, channel_id: target });
  } catch (err) {
    desk.log.warn({ err: slackError(err), channel: target }, 'slack desk: history CSV upload failed');
    return answer(desk, to, note(`${summary.text} The CSV could not be uploaded here (Slack said \`${slackError(err)}\`${slackError(err) === 'not_in_channel' ? ': invite the app to this channel, or use the command in a direct message with it' : ''}).`));
  }
  return answer(desk, to, summary);
}
