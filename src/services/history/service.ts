import type { HistoryPageView } from '../../../flows/history/machine.js';
import { DateTime } from 'luxon';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../../infra/db/database.js';
import type { Catalogue } from '../../i18n/i18n.js';
import { formatMoney, formatSigned, toDecimal, type MoneyLang } from '../../domain/money/index.js';
import { displayWidth } from '../../lib/width.js';
import { drawChart } from './chart.js';
import { formatInZone } from '../../domain/time/zone.js';
import { DATE_FORMAT, periodOf, quickPeriod, readPeriod, type PeriodParse, type QuickPeriod } from './period.js';

/** Lines per history page. */
export const PAGE_SIZE = 10;

/** One deposit or withdrawal on a card. */
export interface HistoryRow {
  id: string;
  at: Date;
  cardId: string;
  last4: string;
  kind: string;
  memo: string | null;
  currency: string;
  amount: bigint;
}

/** A page as the history flow shows it: the flow's own type (strings: rendered in the chat's language). */
export type HistoryPage = HistoryPageView;

/** A file to send. */
export interface Statement {
  name: string;
  mime: string;
  /** base64 */
  content: string;
}

interface Totals {
  currency: string;
  in: bigint;
  out: bigint;
  n: number;
}

/**
 * Deposits and withdrawals of a member's cards over a period of days in the member's zone:
 * paged (newest first), totals in and out per currency, and a CSV statement. Reads postings of the
 * member's card accounts through the (accountId, createdAt) index.
 */
export class HistoryService {
  constructor(private readonly deps: { db: Database; clock: Clock; zone: string; catalogue: Catalogue }) {}

  /** OPERATOR_TIMEZONE: the zone of members who chose none, and of the support desk. */
  get operatorZone(): string {
    return this.deps.zone;
  }

  /** The member's time zone: chosen in Settings, else the operator's. Days and times are in it. */
  async zoneOf(memberId: string | undefined): Promise<string> {
    if (!memberId) return this.deps.zone;
    const m = await this.deps.db.prisma.member.findUnique({ where: { id: memberId }, select: { timeZone: true } });
    return m?.timeZone ?? this.deps.zone;
  }

  /** Reads what a person typed as a period (see {@link readPeriod}); days in `zone` (the operator's by default). */
  read(text: string, pendingFrom?: string, zone = this.deps.zone): PeriodParse {
    return readPeriod(text, this.deps.clock.now(), zone, pendingFrom);
  }

  /** A quick period (last 7 days, this month, last month) ending today in `zone`. */
  quick(q: QuickPeriod, zone = this.deps.zone): { from: string; to: string } {
    const p = quickPeriod(q, this.deps.clock.now(), zone);
    return { from: p.from, to: p.to };
  }

  /** {@link read} in the member's zone. */
  async readFor(memberId: string, text: string, pendingFrom?: string): Promise<PeriodParse> {
    return this.read(text, pendingFrom, await this.zoneOf(memberId));
  }

  /** {@link quick} in the member's zone. */
  async quickFor(memberId: string, q: QuickPeriod): Promise<{ from: string; to: string }> {
    return this.quick(q, await this.zoneOf(memberId));
  }

  /** The card accounts of every card the member holds or held. */
  private async accounts(memberId: string): Promise<{ id: string; cardId: string; last4: string }[]> {
    return this.deps.db.raw.query<{ id: string; cardId: string; last4: string }>(
      `SELECT a.id, a."cardId", c.last4 FROM "LedgerAccount" a JOIN "Card" c ON c.id = a."cardId" WHERE c."memberId" = $1 AND a.kind = 'card'`,
      [memberId],
    );
  }

  /** Rows of a period, newest first. */
  async rows(memberId: string, from: string, to: string, opts: { offset?: number; limit?: number; zone?: string } = {}): Promise<{ rows: HistoryRow[]; totals: Totals[] }> {
    const period = periodOf(from, to, this.deps.clock.now(), opts.zone ?? (await this.zoneOf(memberId)));
    const accs = await this.accounts(memberId);
    if (!accs.length) return { rows: [], totals: [] };
    const byId = new Map(accs.map((a) => [a.id, a]));
    const ids = accs.map((a) => a.id);
    const inList = ids.map((_, i) => `$${i + 3}`).join(', ');
    const params = [period.start.toISOString(), period.end.toISOString(), ...ids];
    const where = `p."accountId" IN (${inList}) AND p."createdAt" >= ($1::timestamptz AT TIME ZONE 'UTC') AND p."createdAt" < ($2::timestamptz AT TIME ZONE 'UTC')`;
    const limit = opts.limit ?? 1_000_000;
    // The page and its totals are independent: on PostgreSQL they run at once.
    const [raw, totals] = await Promise.all([
      this.deps.db.raw.query<{ id: string; at: string; accountId: string; kind: string; memo: string | null; currency: string; amount: string }>(
        `SELECT p.id::text AS id, to_char(p."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, p."accountId", e.kind, e.memo, p.currency, p.amount::text AS amount
           FROM "Posting" p JOIN "JournalEntry" e ON e.id = p."entryId"
          WHERE ${where} ORDER BY p."createdAt" DESC, p.id DESC LIMIT ${Number(limit)} OFFSET ${Number(opts.offset ?? 0)}`,
        params,
      ),
      this.deps.db.raw.query<{ currency: string; in: string; out: string; n: string }>(
        `SELECT p.currency, SUM(CASE WHEN p.amount > 0 THEN p.amount ELSE 0 END)::text AS in, SUM(CASE WHEN p.amount < 0 THEN -p.amount ELSE 0 END)::text AS out, COUNT(*)::text AS n
           FROM "Posting" p WHERE ${where} GROUP BY p.currency ORDER BY p.currency`,
        params,
      ),
    ]);
    return {
      rows: raw.map((r) => ({ id: r.id, at: new Date(r.at), cardId: byId.get(r.accountId)!.cardId, last4: byId.get(r.accountId)!.last4, kind: r.kind, memo: r.memo, currency: r.currency, amount: BigInt(r.amount) })),
      totals: totals.map((t) => ({ currency: t.currency, in: BigInt(t.in), out: BigInt(t.out), n: Number(t.n) })),
    };
  }

  /** One page (0-based), rendered in `lang`. */
  async page(memberId: string, from: string, to: string, page: number, lang: MoneyLang): Promise<HistoryPage> {
    const zone = await this.zoneOf(memberId);
    const { rows, totals } = await this.rows(memberId, from, to, { offset: page * PAGE_SIZE, limit: PAGE_SIZE, zone });
    const count = totals.reduce((n, t) => n + t.n, 0);
    const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
    const c = this.deps.catalogue;
    // Lines are shown in monospace: descriptions padded to one width, amounts aligned on the right.
    const cells = rows.map((r) => ({ r, kind: c.render(lang, { key: `history-kind-${r.kind}` }), memo: r.memo ?? '', amount: formatSigned(r.amount, r.currency, lang) }));
    const whatWidth = Math.max(0, ...cells.map((x) => displayWidth(`${x.kind} ${x.memo}`)));
    const amountWidth = Math.max(0, ...cells.map((x) => displayWidth(x.amount)));
    const lines = cells.map(({ r, kind, memo, amount }) =>
      c.render(lang, {
        key: 'history-line',
        vars: {
          when: formatInZone(r.at, zone, 'MM/dd HH:mm'),
          kind,
          memo: memo + ' '.repeat(whatWidth - displayWidth(`${kind} ${memo}`)),
          last4: r.last4,
          amount: ' '.repeat(amountWidth - displayWidth(amount)) + amount,
        },
      }),
    );
    const totalLines = totals.map((t) => c.html(lang, { key: 'history-total', vars: { currency: t.currency, in: formatMoney(t.in, t.currency, lang), out: formatMoney(t.out, t.currency, lang) } }));
    return {
      from, to, page, pages, count,
      lines: lines.join('\n'),
      totals: totalLines.join('\n'),
      hasPrev: page > 0,
      hasNext: (page + 1) * PAGE_SIZE < count,
    };
  }

  /**
   * The period as a picture: per currency, the balance at each day's end and the money in and out
   * each day (days in the member's zone), drawn offline; with the totals for its caption.
   */
  async chart(memberId: string, from: string, to: string, lang: MoneyLang): Promise<{ png: string; totals: string }> {
    const zone = await this.zoneOf(memberId);
    const period = periodOf(from, to, this.deps.clock.now(), zone);
    const [{ rows, totals }, accs] = await Promise.all([this.rows(memberId, from, to, { zone }), this.accounts(memberId)]);
    const opening = new Map<string, bigint>();
    if (accs.length) {
      const ids = accs.map((a) => a.id);
      const before = await this.deps.db.raw.query<{ currency: string; sum: string }>(
        `SELECT p.currency, SUM(p.amount)::text AS sum FROM "Posting" p WHERE p."accountId" IN (${ids.map((_, i) => `$${i + 2}`).join(', ')}) AND p."createdAt" < ($1::timestamptz AT TIME ZONE 'UTC') GROUP BY p.currency`,
        [period.start.toISOString(), ...ids],
      );
      for (const b of before) opening.set(b.currency, BigInt(b.sum));
    }
    const first = DateTime.fromJSDate(period.start).setZone(zone);
    const dayCount = Math.round(DateTime.fromJSDate(period.end).setZone(zone).diff(first, 'days').days);
    const series = totals.map((t) => {
      let balance = opening.get(t.currency) ?? 0n;
      const days = Array.from({ length: dayCount }, (_, i) => ({ day: first.plus({ days: i }).toFormat('MM/dd'), in: 0n, out: 0n, balance: 0n }));
      for (const r of rows.filter((x) => x.currency === t.currency)) {
        const d = days[Math.floor(DateTime.fromJSDate(r.at).setZone(zone).startOf('day').diff(first, 'days').days)];
        if (!d) continue;
        if (r.amount > 0n) d.in += r.amount;
        else d.out -= r.amount;
      }
      for (const d of days) d.balance = balance += d.in - d.out;
      return { currency: t.currency, days };
    });
    const c = this.deps.catalogue;
    const png = drawChart({
      title: c.render(lang, { key: 'history-chart-title', vars: { from, to } }),
      legend: { balance: c.render(lang, { key: 'history-chart-balance' }), in: c.render(lang, { key: 'history-chart-in' }), out: c.render(lang, { key: 'history-chart-out' }) },
      series,
    }, lang);
    const totalLines = totals.map((t) => c.html(lang, { key: 'history-total', vars: { currency: t.currency, in: formatMoney(t.in, t.currency, lang), out: formatMoney(t.out, t.currency, lang) } }));
    return { png: png.toString('base64'), totals: totalLines.join('\n') };
  }

  /**
   * The whole period as a CSV statement (UTF-8, one line a posting, amounts as signed decimals,
   * `time` in ISO 8601 with the zone's offset), days in `zone` (default: the member's).
   */
  async csv(memberId: string, from: string, to: string, zone?: string): Promise<Statement> {
    zone ??= await this.zoneOf(memberId);
    const { rows } = await this.rows(memberId, from, to, { zone });
    const esc = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    // A leading = + - @ would make spreadsheets run a formula; prefix it with a quote.
    const safe = (s: string) => esc(/^[=+\-@]/.test(s) ? `'${s}` : s);
    const lines = ['date,time,card,type,description,currency,amount'];
    for (const r of rows) {
      const t = DateTime.fromJSDate(r.at).setZone(zone);
      lines.push([t.toFormat(DATE_FORMAT), t.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ"), r.last4, r.kind, safe(r.memo ?? ''), r.currency, toDecimal(r.amount, r.currency)].join(','));
    }
    const compact = (d: string) => DateTime.fromFormat(d, DATE_FORMAT).toFormat('yyyyMMdd');
    return { name: `omnipay-history-${compact(from)}-${compact(to)}.csv`, mime: 'text/csv', content: Buffer.from(lines.join('\r\n') + '\r\n', 'utf8').toString('base64') };
  }
}
