import type { Database } from '../../infra/db/database.js';
import type { Catalogue } from '../../i18n/i18n.js';
import { CURRENCY_CODES, formatMoney, type MoneyLang } from '../../domain/money/index.js';

/**
 * The balance inquiry: every enrolled card of a member, each currency it holds (and the card's own
 * currency even at zero), with pending charges beside. Rendered in `lang` as catalogue HTML (values escaped); null when no card.
 */
export async function balanceText(db: Database, catalogue: Catalogue, memberId: string, lang: MoneyLang): Promise<string | null> {
  const cards = await db.prisma.card.findMany({ where: { memberId, status: 'enrolled' }, orderBy: { enrolledAt: 'asc' }, select: { id: true, last4: true, currency: true, frozenBy: true } });
  if (!cards.length) return null;
  const ids = cards.map((c) => c.id);
  const accounts = await db.prisma.ledgerAccount.findMany({ where: { kind: 'card', cardId: { in: ids } }, select: { cardId: true, currency: true, balance: true } });
  const pending = await db.prisma.charge.groupBy({ by: ['cardId', 'toCurrency'], where: { cardId: { in: ids }, status: 'pending' }, _sum: { toAmount: true } });
  const order = (c: string) => CURRENCY_CODES.indexOf(c);
  const blocks: string[] = [];
  for (const card of cards) {
    const held = new Map<string, { balance: bigint; pending: bigint }>([[card.currency, { balance: 0n, pending: 0n }]]);
    for (const a of accounts.filter((x) => x.cardId === card.id)) held.set(a.currency, { balance: a.balance, pending: held.get(a.currency)?.pending ?? 0n });
    for (const p of pending.filter((x) => x.cardId === card.id)) {
      const cur = held.get(p.toCurrency) ?? { balance: 0n, pending: 0n };
      held.set(p.toCurrency, { ...cur, pending: cur.pending + (p._sum.toAmount ?? 0n) });
    }
    const lines = [...held.entries()]
      .sort(([a], [b]) => order(a) - order(b))
      .map(([cur, v]) =>
        catalogue.html(lang, {
          key: v.pending > 0n ? 'balance-line-pending' : 'balance-line',
          vars: { balance: formatMoney(v.balance, cur, lang), pending: formatMoney(v.pending, cur, lang) },
        }),
      );
    blocks.push([catalogue.html(lang, { key: card.frozenBy ? 'balance-card-frozen' : 'balance-card', vars: { last4: card.last4 } }), ...lines].join('\n'));
  }
  return blocks.join('\n\n');
}
