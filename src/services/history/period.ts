import { DateTime } from 'luxon';

/** The date form people type and see: mm/dd/yyyy. */
export const DATE_FORMAT = 'MM/dd/yyyy';

/** A resolved period: days in the operator's zone, inclusive, and the UTC instants bounding it. */
export interface Period {
  /** First day, mm/dd/yyyy. */
  from: string;
  /** Last day, mm/dd/yyyy (today when a future end was clamped). */
  to: string;
  /** Start of the first day. */
  start: Date;
  /** Start of the day after the last (exclusive). */
  end: Date;
  clamped: boolean;
}

/** Why a period was refused; each has a message with an example in money.ftl. */
export type PeriodErrorCode = 'HISTORY.BAD_FORMAT' | 'HISTORY.IMPOSSIBLE_DATE' | 'HISTORY.DAY_FIRST' | 'HISTORY.REVERSED' | 'HISTORY.TOO_LONG' | 'HISTORY.FUTURE';

/** The outcome of reading what a person typed. */
export type PeriodParse =
  | { kind: 'period'; period: Period }
  | { kind: 'from'; from: string }
  | { kind: 'error'; code: PeriodErrorCode; vars: Record<string, string> };

/** Quick periods offered as buttons. */
export type QuickPeriod = 'last7' | 'this-month' | 'last-month';

const DATE_RE = /(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})/g;

/** A day typed as mm/dd/yyyy in `zone`, or the impossible text. */
function day(m: string, d: string, y: string, zone: string): DateTime | string {
  const dt = DateTime.fromObject({ year: Number(y), month: Number(m), day: Number(d) }, { zone });
  return dt.isValid ? dt.startOf('day') : `${m.padStart(2, '0')}/${d.padStart(2, '0')}/${y}`;
}

/**
 * Reads one or two dates in mm/dd/yyyy (`11/01/2026 - 11/30/2026`, `11/01/2026 to 11/30/2026`, or
 * one date; with `pendingFrom` a single date is the end). Days are in `zone`; `now` decides what
 * "today" is: an end in the future is clamped to today, a period wholly in the future is refused,
 * and so are reversed periods, impossible dates (02/30/2026) and periods longer than a year.
 */
export function readPeriod(text: string, now: Date, zone: string, pendingFrom?: string): PeriodParse {
  const normalized = text.normalize('NFKC');
  const found = [...normalized.matchAll(DATE_RE)];
  const leftover = normalized.replace(DATE_RE, '').replace(/\s|-|–|—|~|〜|to|から|まで/gi, '');
  if (found.length === 0 || found.length > 2 || leftover !== '') return { kind: 'error', code: 'HISTORY.BAD_FORMAT', vars: {} };
  const days: DateTime[] = [];
  for (const f of found) {
    const d = day(f[1]!, f[2]!, f[3]!, zone);
    if (typeof d === 'string') {
      // `13/01/2026`: written day first. Say dates are month/day/year and offer the swapped reading.
      const swapped = day(f[2]!, f[1]!, f[3]!, zone);
      if (typeof swapped !== 'string') return { kind: 'error', code: 'HISTORY.DAY_FIRST', vars: { date: d, swapped: swapped.toFormat(DATE_FORMAT) } };
      return { kind: 'error', code: 'HISTORY.IMPOSSIBLE_DATE', vars: { date: d } };
    }
    days.push(d);
  }
  if (days.length === 1 && !pendingFrom) {
    const today = DateTime.fromJSDate(now).setZone(zone).startOf('day');
    if (days[0]! > today) return { kind: 'error', code: 'HISTORY.FUTURE', vars: { today: today.toFormat(DATE_FORMAT) } };
    return { kind: 'from', from: days[0]!.toFormat(DATE_FORMAT) };
  }
  const from = days.length === 2 ? days[0]! : DateTime.fromFormat(pendingFrom!, DATE_FORMAT, { zone });
  const to = days.length === 2 ? days[1]! : days[0]!;
  return resolve(from, to, now, zone);
}

/** The period of a quick button, ending today. */
export function quickPeriod(q: QuickPeriod, now: Date, zone: string): Period {
  const today = DateTime.fromJSDate(now).setZone(zone).startOf('day');
  const [from, to] =
    q === 'last7' ? [today.minus({ days: 6 }), today]
      : q === 'this-month' ? [today.startOf('month'), today]
        : [today.minus({ months: 1 }).startOf('month'), today.minus({ months: 1 }).endOf('month').startOf('day')];
  const r = resolve(from, to, now, zone);
  if (r.kind !== 'period') throw new Error(`quick period ${q} did not resolve`);
  return r.period;
}

/** A stored period (from its two mm/dd/yyyy days) again, e.g. for the next page. */
export function periodOf(from: string, to: string, now: Date, zone: string): Period {
  const r = resolve(DateTime.fromFormat(from, DATE_FORMAT, { zone }), DateTime.fromFormat(to, DATE_FORMAT, { zone }), now, zone);
  if (r.kind !== 'period') throw new Error('stored period no longer valid');
  return r.period;
}

function resolve(from: DateTime, to: DateTime, now: Date, zone: string): PeriodParse {
  const today = DateTime.fromJSDate(now).setZone(zone).startOf('day');
  const vars = { from: from.toFormat(DATE_FORMAT), to: to.toFormat(DATE_FORMAT), today: today.toFormat(DATE_FORMAT) };
  if (to < from) return { kind: 'error', code: 'HISTORY.REVERSED', vars };
  if (from > today) return { kind: 'error', code: 'HISTORY.FUTURE', vars };
  const clamped = to > today;
  const last = clamped ? today : to;
  if (last >= from.plus({ years: 1 })) return { kind: 'error', code: 'HISTORY.TOO_LONG', vars };
  return {
    kind: 'period',
    period: { from: from.toFormat(DATE_FORMAT), to: last.toFormat(DATE_FORMAT), start: from.toJSDate(), end: last.plus({ days: 1 }).startOf('day').toJSDate(), clamped },
  };
}
