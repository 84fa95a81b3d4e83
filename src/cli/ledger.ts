import { CliError, printResult } from './io.js';
import { dataOf, registerCommands } from './program.js';

/** `omnipay ledger verify`: checks every ledger invariant; exits non-zero listing offending ids. */
registerCommands((program, ctx) => {
  const ledger = program.command('ledger').description('double-entry ledger checks');
  ledger
    .command('verify')
    .description('check every entry balances, cached balances equal their postings, no card balance is negative')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      // Loaded when the command runs (not for --help).
      const [app, { verifyLedger }] = await Promise.all([dataOf(ctx), import('../services/ledger/index.js')]);
      const report = await verifyLedger(app.db);
      printResult(ctx.io, Boolean(o.json), report, () =>
        report.ok
          ? `ledger ok: ${report.entries} entries, ${report.postings} postings, ${report.accounts} accounts`
          : report.violations.map((v) => `${v.rule}: ${v.ids.join(', ')} (${v.detail})`).join('\n'),
      );
      if (!report.ok) throw new CliError(`ledger verify failed: ${report.violations.length} violation(s): ${report.violations.flatMap((v) => v.ids).slice(0, 20).join(', ')}`);
    });
});
