import { describe, expect, it } from 'vitest';
import { quickPeriod, readPeriod } from '../../../src/services/history/period.js';

const zone = 'Asia/Tokyo';
// 11/28/2026 12:00 in Tokyo.
const now = new Date('2026-11-28T03:00:00Z');
const read = (text: string, pendingFrom?: string) => readPeriod(text, now, zone, pendingFrom);

describe('history periods (days in the operator zone, inclusive)', () => {
  it('reads both dates in one message and bounds them by Tokyo midnights', () => {
    const r = read('10/01/2026 - 10/31/2026');
    expect(r).toEqual({ kind: 'period', period: { from: '10/01/2026', to: '10/31/2026', start: new Date('2026-09-30T15:00:00Z'), end: new Date('2026-10-31T15:00:00Z'), clamped: false } });
    for (const t of ['10/01/2026 to 10/31/2026', '10/01/2026〜10/31/2026', ' 10/1/2026 10/31/2026 ', '１０/０１/２０２６ - １０/３１/２０２６']) expect(read(t).kind, t).toBe('period');
  });

  it('clamps a future end to today and refuses a period wholly in the future', () => {
    const r = read('11/01/2026 - 11/30/2026');
    expect(r).toMatchObject({ kind: 'period', period: { from: '11/01/2026', to: '11/28/2026', end: new Date('2026-11-28T15:00:00Z'), clamped: true } });
    expect(read('12/01/2026 - 12/31/2026')).toMatchObject({ kind: 'error', code: 'HISTORY.FUTURE', vars: { today: '11/28/2026' } });
    expect(read('11/29/2026')).toMatchObject({ kind: 'error', code: 'HISTORY.FUTURE' });
    expect(read('11/28/2026 - 11/28/2026')).toMatchObject({ kind: 'period', period: { clamped: false } });
  });

  it('says a day-first date is month/day/year and offers the reading with month and day swapped', () => {
    expect(read('13/01/2026')).toEqual({ kind: 'error', code: 'HISTORY.DAY_FIRST', vars: { date: '13/01/2026', swapped: '01/13/2026' } });
    expect(read('11/01/2026 - 28/11/2026')).toEqual({ kind: 'error', code: 'HISTORY.DAY_FIRST', vars: { date: '28/11/2026', swapped: '11/28/2026' } });
    // Swapped, it is still no date: only "not a real date".
    expect(read('13/31/2026')).toEqual({ kind: 'error', code: 'HISTORY.IMPOSSIBLE_DATE', vars: { date: '13/31/2026' } });
  });

  it('takes one date as the start, and the next one as the end', () => {
    expect(read('11/01/2026')).toEqual({ kind: 'from', from: '11/01/2026' });
    expect(read('11/05/2026', '11/01/2026')).toMatchObject({ kind: 'period', period: { from: '11/01/2026', to: '11/05/2026' } });
    expect(read('10/05/2026', '11/01/2026')).toMatchObject({ kind: 'error', code: 'HISTORY.REVERSED' });
  });

  it.each([
    ['02/30/2026', 'HISTORY.IMPOSSIBLE_DATE'],
    ['13/01/2026 - 13/05/2026', 'HISTORY.DAY_FIRST'],
    ['31/02/2026', 'HISTORY.IMPOSSIBLE_DATE'],
    ['00/10/2026', 'HISTORY.IMPOSSIBLE_DATE'],
    ['02/29/2026', 'HISTORY.IMPOSSIBLE_DATE'],
    ['2026-11-01', 'HISTORY.BAD_FORMAT'],
    ['yesterday', 'HISTORY.BAD_FORMAT'],
    ['11/01/2026 - 11/05/2026 - 11/09/2026', 'HISTORY.BAD_FORMAT'],
    ['11/30/2026 - 11/01/2026', 'HISTORY.REVERSED'],
    ['11/01/2025 - 11/01/2026', 'HISTORY.TOO_LONG'],
  ])('%s → %s', (text, code) => {
    expect(read(text)).toMatchObject({ kind: 'error', code });
  });

  it('allows exactly one year and leap days that exist', () => {
    expect(read('11/02/2025 - 11/01/2026').kind).toBe('period');
    expect(readPeriod('02/29/2028', new Date('2028-03-10T00:00:00Z'), zone).kind).toBe('from');
  });

  it('offers last 7 days, this month and last month', () => {
    expect(quickPeriod('last7', now, zone)).toMatchObject({ from: '11/22/2026', to: '11/28/2026' });
    expect(quickPeriod('this-month', now, zone)).toMatchObject({ from: '11/01/2026', to: '11/28/2026' });
    expect(quickPeriod('last-month', now, zone)).toMatchObject({ from: '10/01/2026', to: '10/31/2026', end: new Date('2026-10-31T15:00:00Z') });
    // Early on the 1st in Tokyo it is still the previous month in UTC: the zone decides.
    expect(quickPeriod('this-month', new Date('2026-11-30T16:00:00Z'), zone)).toMatchObject({ from: '12/01/2026', to: '12/01/2026' });
  });
});
