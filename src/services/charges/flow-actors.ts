import { fromPromise } from 'xstate';
import type { Lang } from '../../../flows/shared/protocol.js';
import type { QuickPeriod } from '../history/period.js';
import type { Database } from '../../infra/db/database.js';
import { COMMON_ZONES, findZone, zoneAbbreviation } from '../../domain/time/zone.js';
import { ChargeError } from './errors.js';
import type { MoneyServices } from '../money.js';

/** A zone as Settings shows it: "Europe/London (GMT)". */
const zoneLabel = (zone: string) => `${zone} (${zoneAbbreviation(zone, new Date())})`;

/**
 * The side effects of the money flows (charge, balance, history, settings), by flow id, for
 * `flowActors` in src/app/flows.ts.
 */
export function moneyFlowActors(money: MoneyServices, db: Database): Record<string, Record<string, unknown>> {
  return {
    charge: {
      'charge options': fromPromise(({ input }: { input: { memberId: string; cardId: string } }) => money.charges.options(input.memberId, input.cardId)),
      quote: fromPromise(({ input }: { input: { memberId: string; cardId: string; from: string; to: string; text: string; lang: Lang } }) => money.charges.quote(input)),
      confirm: fromPromise(async ({ input }: { input: { memberId: string; quoteId: string; chatKey: string; lang: Lang } }) => {
        try {
          const c = await money.charges.confirm(input);
          return { ok: true as const, reference: c.reference, fromText: c.fromText, toText: c.toText, payKey: c.payKey, payVars: c.payVars };
        } catch (err) {
          if (err instanceof ChargeError) return { ok: false as const, code: err.code, vars: err.vars };
          throw err;
        }
      }),
    },
    balance: {
      balances: fromPromise(({ input }: { input: { memberId: string; lang: Lang } }) => money.balance(input.memberId, input.lang)),
    },
    history: {
      'read period': fromPromise(async ({ input }: { input: { text: string; pendingFrom: string | null; memberId: string } }) => money.history.readFor(input.memberId, input.text, input.pendingFrom ?? undefined)),
      'quick period': fromPromise(async ({ input }: { input: { which: string; memberId: string } }) => money.history.quickFor(input.memberId, input.which as QuickPeriod)),
      'history page': fromPromise(({ input }: { input: { memberId: string; from: string; to: string; page: number; lang: Lang } }) => money.history.page(input.memberId, input.from, input.to, input.page, input.lang)),
      'history chart': fromPromise(({ input }: { input: { memberId: string; from: string; to: string; lang: Lang } }) => money.history.chart(input.memberId, input.from, input.to, input.lang)),
      'history csv': fromPromise(({ input }: { input: { memberId: string; from: string; to: string } }) => money.history.csv(input.memberId, input.from, input.to)),
    },
    settings: {
      'get settings': fromPromise(async ({ input }: { input: { memberId: string } }) => {
        const m = await db.prisma.member.findUniqueOrThrow({ where: { id: input.memberId }, select: { notifyUsage: true, timeZone: true } });
        const operator = money.history.operatorZone;
        const zones = COMMON_ZONES.includes(operator as (typeof COMMON_ZONES)[number]) ? [...COMMON_ZONES] : [operator, ...COMMON_ZONES];
        return { notifyUsage: m.notifyUsage, zone: zoneLabel(m.timeZone ?? operator), operatorZone: zoneLabel(operator), zones };
      }),
      'set time zone': fromPromise(async ({ input }: { input: { memberId: string; zone: string } }) => {
        const zone = findZone(input.zone);
        if (!zone) return { ok: false as const };
        await db.prisma.member.update({ where: { id: input.memberId }, data: { timeZone: zone } });
        return { ok: true as const, zone: zoneLabel(zone) };
      }),
      'set usage notifications': fromPromise(async ({ input }: { input: { memberId: string; on: boolean } }) => {
        const m = await db.prisma.member.update({ where: { id: input.memberId }, data: { notifyUsage: input.on }, select: { notifyUsage: true } });
        return { notifyUsage: m.notifyUsage };
      }),
    },
  };
}
