import { randomUUID } from 'node:crypto';
import { currency, MoneyError, parseDecimal } from '../domain/money/index.js';
import type { UsageKind } from '../services/usage/service.js';
import { CliError, printResult } from './io.js';
import { registerCommands } from './program.js';

/** `omnipay usage <purchase|atm|refund> …`: records card usage as the card processor would. */
registerCommands((program, ctx) => {
  program
    .command('usage <kind>')
    .description('record card usage (purchase, atm or refund) as the card processor would; prints approved or declined')
    .requiredOption('--card <ref>', 'card id, or last 4 digits matching exactly one card')
    .requiredOption('--amount <decimal>', 'amount in the currency, e.g. 12.50')
    .requiredOption('--currency <ISO>', 'currency code, e.g. USD')
    .option('--merchant <text>', 'merchant name')
    .option('--id <key>', 'processor id (idempotency key); default a new one')
    .option('--json', 'machine-readable output')
    .action(async (kind: string, o: { card: string; amount: string; currency: string; merchant?: string; id?: string; json?: boolean }) => {
      // Loaded when the command runs (not for --help).
      const { USAGE_KINDS, UsageError } = await import('../services/usage/service.js');
      if (!USAGE_KINDS.includes(kind as UsageKind)) throw new CliError(`kind must be one of ${USAGE_KINDS.join(', ')}`);
      let cur: string;
      let amount: bigint;
      try {
        cur = currency(o.currency).code;
        amount = parseDecimal(o.amount, cur);
      } catch (err) {
        if (err instanceof MoneyError) throw new CliError(`${err.code}: ${err.message} (e.g. --amount 12.50 --currency USD)`);
        throw err;
      }
      const app = await ctx.app();
      const card = await app.services.cards.resolveCard(o.card).catch((err: Error) => {
        throw new CliError(err.message);
      });
      try {
        const r = await app.services.money.usage.record({ processorId: o.id ?? `cli:${randomUUID()}`, cardId: card.id, kind: kind as UsageKind, amount, currency: cur, ...(o.merchant ? { merchant: o.merchant } : {}) });
        printResult(ctx.io, Boolean(o.json), { ...r, cardId: card.id, last4: card.last4, kind, amount: o.amount, currency: cur }, () =>
          `${r.status}${r.reason ? ` (${r.reason})` : ''}: ${kind} ${o.amount} ${cur} on card •••• ${card.last4}${r.replayed ? ' [already recorded under this id]' : ''}`,
        );
      } catch (err) {
        if (err instanceof UsageError) throw new CliError(`${err.code}: ${err.message}`);
        throw err;
      }
    });
});
