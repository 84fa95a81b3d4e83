import type { types } from '@slack/bolt';
import type { DeskRole } from '../access.js';
import type { DeskAuditRow, DeskHistory, DeskRate } from '../ports.js';
import { zoneAbbreviation } from '../../../../domain/time/zone.js';
import { clip, context, esc, header, message, money, section, when, who, type DeskMessage } from './blocks.js';

/** How each command is written, with an example (help and every "wrong form" answer show it). */
export const USAGE = {
  lookup: '`/omnipay lookup <username | e-mail | last 4>`, e.g. `/omnipay lookup alice` or `/omnipay lookup 4242`',
  history: '`/omnipay history <username> <mm/dd/yyyy> <mm/dd/yyyy>`, e.g. `/omnipay history alice 11/01/2026 11/30/2026`',
  rates: '`/omnipay rates`',
  ratesSet: '`/omnipay rates set <FROM> <TO> <rate>`, e.g. `/omnipay rates set JPY USD 0.0066`',
  audit: '`/omnipay audit [<username>]`, e.g. `/omnipay audit` or `/omnipay audit alice`',
} as const;

/** The warning shown at start and in help when nobody could approve a request. */
export const NO_SECOND_PERSON = 'Fewer than two support users are configured (SLACK_SUPPORT_USERS, SLACK_ADMIN_USERS): refunds and reversals cannot be approved until a second one is added.';

/** `/omnipay help`: what the desk can do, and the warning when requests cannot be approved. */
export function helpMessage(role: DeskRole, canApprove: boolean): DeskMessage {
  const blocks: types.KnownBlock[] = [
    header('OMNIPAY support desk'),
    section(
      [
        `• ${USAGE.lookup} — the cardholder (status, language, log-in lock, created / activated), each card (last 4, state, PIN lock, balances) and recent movements, with buttons for what applies now`,
        `• ${USAGE.history} — the history the cardholder sees, with a CSV`,
        `• ${USAGE.rates} — FX rates${role === 'admin' ? `; ${USAGE.ratesSet}` : ' (admins also set them)'}`,
        `• ${USAGE.audit} — recent support actions`,
        '• `/omnipay help` — this list',
      ].join('\n'),
    ),
    section('*Unlock log-in* and *Reset PIN lock* ask for a reason and act at once. *Refund* (a card purchase or ATM withdrawal) and *Reverse* (a completed charge) ask for an amount and a reason, then wait in the support channel for *Approve* / *Reject* by a _different_ support user. Every action is in the audit log.'),
    ...(canApprove ? [] : [section(`:warning: ${NO_SECOND_PERSON}`)]),
    context(`You are ${role === 'admin' ? 'an admin' : 'support'} at this desk.`),
  ];
  return message(`OMNIPAY support desk: lookup, history, rates, audit${canApprove ? '' : ` — ${NO_SECOND_PERSON}`}`, blocks);
}

/** The refusal anyone not listed gets: it names nobody and shows nothing. */
export function refusalMessage(): DeskMessage {
  const text = 'Sorry, only OMNIPAY support users can use this desk. Ask an admin to add your Slack user id to SLACK_SUPPORT_USERS.';
  return message(text, [section(text)]);
}

/** A wrong command form: what was not understood and the form expected, with an example. */
export function usageMessage(problem: string, usage: string): DeskMessage {
  const text = `${problem} The form is ${usage}.`;
  return message(text, [section(text), context('`/omnipay help` lists everything the desk can do.')]);
}

/** Why two typed days were refused, with the form and an example. */
export function periodProblem(code: string, vars: Record<string, string>): string {
  switch (code) {
    case 'HISTORY.IMPOSSIBLE_DATE':
      return `${esc(vars.date ?? 'That date')} is not a date on the calendar.`;
    case 'HISTORY.DAY_FIRST':
      return `${esc(vars.date ?? 'That date')} is not a date on the calendar: dates are month/day/year. Did you mean ${esc(vars.swapped ?? '')}?`;
    case 'HISTORY.REVERSED':
      return `The period ends (${vars.to}) before it starts (${vars.from}).`;
    case 'HISTORY.TOO_LONG':
      return 'The period is longer than a year.';
    case 'HISTORY.FUTURE':
      return `The period starts after today (${vars.today}).`;
    default:
      return 'Dates are written mm/dd/yyyy.';
  }
}

/** A zone as the desk names it: "Europe/London (GMT)". */
function zoneName(zone: string, at: Date): string {
  return `${zone} (${zoneAbbreviation(zone, at)})`;
}

/** What a history export found; the CSV is sent beside it. */
export function historyMessage(h: Extract<DeskHistory, { ok: true }>): DeskMessage {
  const totals = h.totals.length ? h.totals.map((t) => `${t.currency}: in ${money(t.in, t.currency)}, out ${money(t.out, t.currency)}`).join('\n') : 'No movements in this period.';
  const text = `History of ${esc(h.username)}, ${h.from} – ${h.to}: ${h.count} movement${h.count === 1 ? '' : 's'}.`;
  const now = new Date();
  const zones = `Days in the operator's zone, ${zoneName(h.zones.operator, now)}; the cardholder's zone: ${zoneName(h.zones.member, now)}${h.zones.member === h.zones.operator ? ' (the same)' : ''}. CSV times are ISO 8601 with the offset.`;
  return message(text, [section(`*${text}*\n${totals}`), context(zones), context('The CSV is the statement the cardholder gets in the chat.')]);
}

/** Who set a rate: a Slack user as a mention (Slack shows their name), anyone else (`cli:root`) as written. */
function setter(setBy: string): string {
  const slack = /^slack:(U[A-Z0-9]+)$/.exec(setBy);
  return slack ? `<@${slack[1]}>` : esc(setBy);
}

/** `/omnipay rates`: the newest rate of every pair, who set it and when; stale ones flagged. */
export function ratesMessage(rates: DeskRate[], zone: string, role: DeskRole): DeskMessage {
  if (rates.length === 0) return message('No FX rates yet.', [section(`No FX rates yet.${role === 'admin' ? ` Set one with ${USAGE.ratesSet}.` : ''}`)]);
  const lines = rates.map((r) => `*${r.base} → ${r.quote}* ${r.rate} · spread ${r.spreadBps} bps · fee ${r.feeBps} bps · set by ${setter(r.setBy)} on ${when(r.setAt, zone)}${r.stale ? ' · :warning: stale: charges paused' : ''}`);
  const blocks: types.KnownBlock[] = [header('FX rates')];
  // Several rates a section keeps the message well under 50 blocks however many pairs there are.
  for (let i = 0; i < lines.length && blocks.length < 45; i += 10) blocks.push(section(lines.slice(i, i + 10).join('\n')));
  if (role === 'admin') blocks.push(context(`Set one: ${USAGE.ratesSet}`));
  return message(`FX rates: ${rates.length} pair${rates.length === 1 ? '' : 's'}`, blocks);
}

/** What setting a rate did: before and after. */
export function rateSetMessage(r: DeskRate, before: DeskRate | null): DeskMessage {
  const text = `Rate set: 1 ${r.base} = ${r.rate} ${r.quote} (spread ${r.spreadBps} bps, fee ${r.feeBps} bps); before: ${before ? `${before.rate} (spread ${before.spreadBps} bps, fee ${before.feeBps} bps)` : 'none'}.`;
  return message(text, [section(text)]);
}

function shown(v: unknown): string {
  return v === null || v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * What changed, e.g. `frozenBy: – → support`; when before and after describe different things (a
 * request: what was left, then what was asked) both are shown whole. Nothing when nothing changed.
 */
function change(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string {
  const b = before ?? {};
  const a = after ?? {};
  const list = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `${k} ${esc(shown(v))}`).join(', ');
  const sameKeys = Object.keys(b).length === Object.keys(a).length && Object.keys(b).every((k) => k in a);
  if (!sameKeys) return `before: ${list(b) || '–'} → after: ${list(a) || '–'}`;
  return Object.keys(b).filter((k) => shown(b[k]) !== shown(a[k])).map((k) => `${k}: ${esc(shown(b[k]))} → ${esc(shown(a[k]))}`).join(', ');
}

/** `/omnipay audit [<username>]`: recent support actions, newest first. */
export function auditMessage(rows: DeskAuditRow[], more: boolean, zone: string, username?: string): DeskMessage {
  const title = username ? `Support actions for ${username}` : 'Recent support actions';
  if (rows.length === 0) return message(`${title}: none yet.`, [section(`${esc(title)}: none yet.`)]);
  const blocks: types.KnownBlock[] = [header(title)];
  for (const r of rows) {
    const userId = r.actor.startsWith('slack:') ? r.actor.slice(6) : r.actor;
    const reason = typeof r.details.reason === 'string' ? ` · reason: ${esc(clip(r.details.reason, 200))}` : '';
    const why = typeof r.details.why === 'string' ? ` · ${esc(r.details.why)}` : '';
    const target = r.username ? ` · ${esc(r.username)}` : r.target ? ` · ${esc(clip(r.target, 60))}` : '';
    const diff = change(r.before, r.after);
    blocks.push(section(`${when(r.at, zone)} · ${who(userId, r.actorName)} · \`${esc(r.action)}\`${target}${diff ? `\n${diff}` : ''}${reason}${why}`));
  }
  if (more) blocks.push(context(`Older actions are not shown${username ? '' : '; `/omnipay audit <username>` narrows it to one cardholder'}.`));
  return message(`${title}: ${rows.length}`, blocks);
}
