import type { Config } from '../../../config/config.js';
import type { Database } from '../../../infra/db/database.js';
import type { Clock } from '../../../lib/clock.js';
import { currency, MoneyError, parseRate } from '../../../domain/money/index.js';
import { audit, RepeatedRequestError } from '../../audit.js';
import { currentRate, latestRates, setRateIn, type RateRow } from '../../fx/rates.js';
import type { HistoryService } from '../../history/service.js';
import { slackActor, type AuditView, type DeskActor } from './types.js';

/** Audit rows `/omnipay audit` lists at most. */
export const AUDIT_SHOWN = 20;

/** What the desk's reports need. `admins`: the Slack users who may set rates. */
export interface ReportDeps {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'FX_DEFAULT_SPREAD_BPS' | 'FX_DEFAULT_FEE_BPS' | 'RATE_MAX_AGE_HOURS'>;
  history: Pick<HistoryService, 'read' | 'rows' | 'csv' | 'zoneOf' | 'operatorZone'>;
  admins: readonly string[];
}

/** A cardholder's history over a period, as the desk sends it (with the CSV the cardholder would get). */
export type HistoryReport =
  | { ok: true; memberId: string; username: string; from: string; to: string; count: number; zones: { member: string; operator: string }; totals: { currency: string; in: bigint; out: bigint }[]; file: { name: string; content: Buffer } }
  | { ok: false; code: string; vars: Record<string, string> };

/** An FX rate as the desk lists it. */
export interface RateView {
  base: string;
  quote: string;
  rate: string;
  spreadBps: number;
  feeBps: number;
  setBy: string;
  setAt: Date;
  /** Older than RATE_MAX_AGE_HOURS: charges in this pair are paused. */
  stale: boolean;
}

/** What setting a rate did, or why not (`message` names the form expected). */
export type SetRateOutcome = { ok: true; rate: RateView; before: RateView | null } | { ok: false; code: string; message: string };

/** The example the desk gives with every rate refusal. */
const RATE_EXAMPLE = '/omnipay rates set JPY USD 0.0066';

/**
 * The desk's reports and admin settings: a cardholder's history with its CSV, FX rates (admins set
 * them, audited with before and after) and the audit log itself.
 */
export class DeskReports {
  constructor(private readonly d: ReportDeps) {}

  /** Reads two days typed as mm/dd/yyyy (no I/O: a modal can be answered with it before acking). */
  checkPeriod(fromText: string, toText: string): { ok: true; from: string; to: string } | { ok: false; code: string; vars: Record<string, string> } {
    if (!fromText.trim() || !toText.trim()) return { ok: false, code: 'HISTORY.BAD_FORMAT', vars: {} };
    const read = this.d.history.read(`${fromText} - ${toText}`);
    if (read.kind === 'error') return { ok: false, code: read.code, vars: read.vars };
    if (read.kind !== 'period') return { ok: false, code: 'HISTORY.BAD_FORMAT', vars: {} };
    return { ok: true, from: read.period.from, to: read.period.to };
  }

  /** The history of `member` between two days typed as mm/dd/yyyy; the export is audited. */
  async history(actor: DeskActor, member: { id: string; username: string }, fromText: string, toText: string): Promise<HistoryReport> {
    const period = this.checkPeriod(fromText, toText);
    if (!period.ok) return period;
    const { from, to } = period;
    // The desk types and reads operator days; the member's own zone is shown beside it.
    const operator = this.d.history.operatorZone;
    const [{ totals }, csv, memberZone] = await Promise.all([this.d.history.rows(member.id, from, to, { limit: 0, zone: operator }), this.d.history.csv(member.id, from, to, operator), this.d.history.zoneOf(member.id)]);
    const count = totals.reduce((n, t) => n + t.n, 0);
    await this.audited(actor, { action: 'desk.history', target: member.id, memberId: member.id, details: { via: 'slack', from, to, rows: count } });
    return { ok: true, memberId: member.id, username: member.username, from, to, count, zones: { member: memberZone, operator }, totals: totals.map((t) => ({ currency: t.currency, in: t.in, out: t.out })), file: { name: csv.name, content: Buffer.from(csv.content, 'base64') } };
  }

  /** The newest rate of every pair. */
  async rates(): Promise<RateView[]> {
    return (await latestRates(this.d.db)).map((r) => this.rateView(r));
  }

  /** Sets a rate (admins only): 1 FROM buys `rateText` TO, with the default spread and fee; audited with the rate before. */
  async setRate(actor: DeskActor, fromText: string, toText: string, rateText: string): Promise<SetRateOutcome> {
    if (!this.d.admins.includes(actor.userId)) return { ok: false, code: 'DESK.ADMINS_ONLY', message: 'Only admins (SLACK_ADMIN_USERS) set rates.' };
    let base: string;
    let quote: string;
    try {
      base = currency(fromText.toUpperCase()).code;
      quote = currency(toText.toUpperCase()).code;
      parseRate(rateText);
    } catch (err) {
      if (err instanceof MoneyError) return { ok: false, code: err.code, message: `${err.message}; the form is \`/omnipay rates set <FROM> <TO> <rate>\`, e.g. \`${RATE_EXAMPLE}\`` };
      throw err;
    }
    if (base === quote) return { ok: false, code: 'DESK.SAME_CURRENCY', message: `FROM and TO must differ, e.g. \`${RATE_EXAMPLE}\`` };
    const at = this.d.clock.now();
    try {
      return await this.d.db.tx(async (tx) => {
        const prior = await currentRate(tx, base, quote);
        const row = await setRateIn(tx, { base, quote, rate: rateText, spreadBps: this.d.config.FX_DEFAULT_SPREAD_BPS, feeBps: this.d.config.FX_DEFAULT_FEE_BPS, setBy: slackActor(actor.userId), at });
        await audit(tx, {
          actor: slackActor(actor.userId), actorName: actor.name, action: 'fx.rate.set', target: `${base}/${quote}`, requestId: actor.requestId,
          before: prior ? { rate: prior.rate, spreadBps: prior.spreadBps, feeBps: prior.feeBps, setBy: prior.setBy } : { rate: null },
          after: { rate: row.rate, spreadBps: row.spreadBps, feeBps: row.feeBps, setBy: row.setBy },
          details: { via: 'slack' },
        });
        return { ok: true as const, rate: this.rateView(row), before: prior ? this.rateView(prior) : null };
      });
    } catch (err) {
      if (err instanceof RepeatedRequestError) return { ok: false, code: 'DESK.REPEATED', message: 'This request was handled already.' };
      throw err;
    }
  }

  /** Recent support actions (Slack users'), newest first, of one cardholder or of everyone. */
  async auditLog(memberId?: string, limit = AUDIT_SHOWN): Promise<{ rows: AuditView[]; more: boolean }> {
    const rows = await this.d.db.prisma.auditLog.findMany({
      where: { actor: { startsWith: 'slack:' }, ...(memberId ? { memberId } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const ids = [...new Set(rows.flatMap((r) => (r.memberId ? [r.memberId] : [])))];
    const names = new Map((await this.d.db.prisma.member.findMany({ where: { id: { in: ids } }, select: { id: true, username: true } })).map((m) => [m.id, m.username]));
    return {
      more: rows.length > limit,
      rows: rows.slice(0, limit).map((r) => ({
        at: r.createdAt, actor: r.actor, actorName: r.actorName, action: r.action, target: r.target, memberId: r.memberId, username: r.memberId ? (names.get(r.memberId) ?? null) : null, requestId: r.requestId,
        details: r.details as Record<string, unknown>, before: r.before as Record<string, unknown> | null, after: r.after as Record<string, unknown> | null,
      })),
    };
  }

  /** Writes an audit row for a read (look-ups and history exports show personal data); a repeat is recorded once. */
  async audited(actor: DeskActor, e: { action: string; target?: string; memberId?: string; details?: Record<string, string | number | boolean | null> }): Promise<void> {
    try {
      await this.d.db.tx((tx) => audit(tx, { actor: slackActor(actor.userId), actorName: actor.name, requestId: actor.requestId, ...e }));
    } catch (err) {
      if (!(err instanceof RepeatedRequestError)) throw err;
    }
  }

  private rateView(r: RateRow): RateView {
    const stale = this.d.clock.now().getTime() - r.createdAt.getTime() > this.d.config.RATE_MAX_AGE_HOURS * 3600_000;
    return { base: r.base, quote: r.quote, rate: r.rate, spreadBps: r.spreadBps, feeBps: r.feeBps, setBy: r.setBy, setAt: r.createdAt, stale };
  }
}
