import { userInfo } from 'node:os';
import { currency, displayRate, MoneyError, parseRate } from '../domain/money/index.js';
import { CliError, printResult } from './io.js';
import { dataOf, registerCommands } from './program.js';

const bps = (name: string) => (v: string) => {
  if (!/^\d{1,4}$/.test(v) || Number(v) > 9999) throw new CliError(`${name} must be a whole number of basis points from 0 to 9999`);
  return Number(v);
};

/** `omnipay rates set <FROM> <TO> <rate>` and `omnipay rates list`: FX rates with who set them and when. */
registerCommands((program, ctx) => {
  const rates = program.command('rates').description('FX rates used for card charges');
  rates
    .command('set <from> <to> <rate>')
    .description('set the rate: 1 FROM buys <rate> TO (decimal, e.g. 0.0066), with the pair\'s spread and fee')
    .option('--spread-bps <n>', 'spread in basis points (default FX_DEFAULT_SPREAD_BPS)', bps('--spread-bps'))
    .option('--fee-bps <n>', 'fee in basis points of the amount paid (default FX_DEFAULT_FEE_BPS)', bps('--fee-bps'))
    .option('--by <who>', 'who sets it (default: cli:<os user>)')
    .option('--json', 'machine-readable output')
    .action(async (from: string, to: string, rate: string, o: { spreadBps?: number; feeBps?: number; by?: string; json?: boolean }) => {
      let base: string;
      let quote: string;
      try {
        base = currency(from).code;
        quote = currency(to).code;
        parseRate(rate);
      } catch (err) {
        if (err instanceof MoneyError) throw new CliError(`${err.message} (e.g. omnipay rates set JPY USD 0.0066)`);
        throw err;
      }
      if (base === quote) throw new CliError('FROM and TO must differ (same-currency charges need no rate)');
      // Loaded when the command runs (not for --help).
      const [app, { setRate }] = await Promise.all([dataOf(ctx), import('../services/fx/rates.js')]);
      const row = await setRate(app.db, {
        base, quote, rate, setBy: o.by ?? `cli:${userInfo().username}`, at: app.clock.now(),
        spreadBps: o.spreadBps ?? app.config.FX_DEFAULT_SPREAD_BPS, feeBps: o.feeBps ?? app.config.FX_DEFAULT_FEE_BPS,
      });
      printResult(ctx.io, Boolean(o.json), row, () => `rate set: 1 ${base} = ${row.rate} ${quote} (spread ${row.spreadBps} bps, fee ${row.feeBps} bps) by ${row.setBy} at ${row.createdAt.toISOString()}`);
    });
  rates
    .command('list')
    .description('the newest rate of every pair, who set it and when')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const [app, { latestRates }] = await Promise.all([dataOf(ctx), import('../services/fx/rates.js')]);
      const now = app.clock.now().getTime();
      const maxAge = app.config.RATE_MAX_AGE_HOURS * 3600_000;
      const rows = (await latestRates(app.db)).map((r) => ({ ...r, inverse: displayRate({ num: parseRate(r.rate).den, den: parseRate(r.rate).num }, 8), stale: now - r.createdAt.getTime() > maxAge }));
      printResult(ctx.io, Boolean(o.json), rows, () =>
        rows.length
          ? rows.map((r) => `${r.base}/${r.quote}  ${r.rate}  (1 ${r.quote} ≈ ${r.inverse} ${r.base})  spread ${r.spreadBps} bps  fee ${r.feeBps} bps  set by ${r.setBy} at ${r.createdAt.toISOString()}${r.stale ? '  STALE: charging paused' : ''}`).join('\n')
          : 'no rates yet (omnipay rates set JPY USD 0.0066)',
      );
    });
});
