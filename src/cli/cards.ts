/**
 * `omnipay cards …`: issue cards with their PIN mailers, reissue a PIN, replace a card, list cards,
 * and the support actions on a card (unlock its PIN, freeze, unfreeze). The issuance output is the
 * only place a full card number or a PIN ever appears; nothing here logs it.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CardError } from '../services/cards/errors.js';
import { formatCardNumber } from '../services/cards/numbers.js';
// From the model, not the service: --help builds this program without loading the card services.
import { formatExpiry, type CardSummary, type IssuedCard, type PinMailer } from '../services/cards/model.js';
import { CliError, printResult } from './io.js';
import { registerCommands, type CliContext } from './program.js';

/** Runs a command body, turning card refusals into one-line CLI errors. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CardError) throw new CliError(err.message);
    throw err;
  }
}

/** The text of a PIN mailer as it is printed on paper (the guide's words). */
function mailerText(m: PinMailer): string {
  return [
    `PIN MAILER — to ${m.to}`,
    '  Please check this paper when the card arrives: the last 4 digits of your card number and the',
    '  printed initial PIN. Enroll the card in the OMNIPAY chat (Card Registration). You can change the',
    '  PIN later, but you need the current PIN when you change it.',
    `  card ending:  ${m.last4}`,
    `  expiry:       ${m.expiry}`,
    `  initial PIN:  ${m.initialPin}`,
  ].join('\n');
}

function embossingText(i: IssuedCard): string {
  return [
    `EMBOSSING RECORD — for the card maker`,
    `  card id:      ${i.embossing.cardId}`,
    `  number:       ${formatCardNumber(i.embossing.pan)}`,
    `  expiry:       ${i.embossing.expiry}`,
    `  name:         ${i.embossing.name ? i.embossing.name.toUpperCase() : '(cardholder not registered yet)'}`,
    `  currency:     ${i.embossing.currency}`,
  ].join('\n');
}

const ONCE = 'The card number and the PIN are shown only this once; they are not stored anywhere.';

/** Writes the printable file; refuses to overwrite (another card's mailer could be lost). */
function writePrintable(path: string, text: string): string {
  const full = resolve(path);
  try {
    writeFileSync(full, text + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new CliError(code === 'EEXIST' ? `${full} already exists; choose another --out file` : `cannot write ${full}: ${code ?? (err as Error).message}`);
  }
  return full;
}

/** One card as `cards list` prints it. */
function cardLine(c: CardSummary): string {
  const flags = [c.frozenBy ? `frozen by ${c.frozenBy}` : '', c.pinLocked ? 'PIN locked' : ''].filter(Boolean).join(', ');
  return `${c.id}  •••• ${c.last4}  ${c.currency}  ${c.status}${flags ? ` (${flags})` : ''}  exp ${formatExpiry(c.expiryMonth, c.expiryYear)}  ${c.issuedEmailKey}`;
}

function cardJson(c: CardSummary) {
  return { ...c, expiry: formatExpiry(c.expiryMonth, c.expiryYear) };
}

function register(program: Command, ctx: CliContext): void {
  const cards = program.command('cards').description('issue cards and PIN mailers, reissue PINs, replace and list cards');

  cards
    .command('issue')
    .description('issue a card to the person with this e-mail; prints the embossing record and the PIN mailer once')
    .requiredOption('--email <addr>', "cardholder's e-mail (they may register online later)")
    .option('--currency <ISO>', 'home currency of the card', 'JPY')
    .option('--out <file>', 'also write the printable embossing record and PIN mailer to this new file')
    .option('--json', 'machine-readable output')
    .action(async (o: { email: string; currency: string; out?: string; json?: boolean }) => {
      const app = await ctx.app();
      const issued = await guarded(() => app.services.cards.issue({ email: o.email, currency: o.currency, actor: 'cli' }));
      const text = [`Card issued: ${issued.card.id} (ending ${issued.card.last4}, ${issued.card.currency}, expires ${issued.embossing.expiry})`, embossingText(issued), mailerText(issued.pinMailer), ONCE].join('\n');
      const file = o.out ? writePrintable(o.out, [embossingText(issued), '\f', mailerText(issued.pinMailer)].join('\n')) : undefined;
      printResult(ctx.io, Boolean(o.json), { card: cardJson(issued.card), embossing: issued.embossing, pinMailer: issued.pinMailer, ...(file ? { file } : {}) }, () => text + (file ? `\nPrintable copy: ${file}` : ''));
    });

  cards
    .command('reissue-pin')
    .description('a new initial PIN and mailer for a card (forgotten PIN); clears a PIN lock')
    .requiredOption('--card <id|last4>', 'card id, or last 4 digits matching exactly one card')
    .option('--out <file>', 'also write the printable PIN mailer to this new file')
    .option('--json', 'machine-readable output')
    .action(async (o: { card: string; out?: string; json?: boolean }) => {
      const app = await ctx.app();
      const mailer = await guarded(async () => app.services.cards.reissuePin((await app.services.cards.resolveCard(o.card)).id, 'cli'));
      const file = o.out ? writePrintable(o.out, mailerText(mailer)) : undefined;
      printResult(ctx.io, Boolean(o.json), { pinMailer: mailer, ...(file ? { file } : {}) }, () => [`New PIN issued for card ${mailer.cardId} (PIN lock cleared).`, mailerText(mailer), ONCE].join('\n') + (file ? `\nPrintable copy: ${file}` : ''));
    });

  cards
    .command('replace')
    .description('replace a lost or damaged card: closes it and issues a new one to the same person')
    .requiredOption('--card <id|last4>', 'card id, or last 4 digits matching exactly one card')
    .option('--out <file>', 'also write the printable embossing record and PIN mailer to this new file')
    .option('--json', 'machine-readable output')
    .action(async (o: { card: string; out?: string; json?: boolean }) => {
      const app = await ctx.app();
      const issued = await guarded(async () => app.services.cards.replace((await app.services.cards.resolveCard(o.card)).id, 'cli'));
      const file = o.out ? writePrintable(o.out, [embossingText(issued), '\f', mailerText(issued.pinMailer)].join('\n')) : undefined;
      printResult(
        ctx.io,
        Boolean(o.json),
        { replaced: issued.replaced, card: cardJson(issued.card), embossing: issued.embossing, pinMailer: issued.pinMailer, ...(file ? { file } : {}) },
        () => [`Card ${issued.replaced} closed; replacement ${issued.card.id} issued (ending ${issued.card.last4}).`, embossingText(issued), mailerText(issued.pinMailer), ONCE].join('\n') + (file ? `\nPrintable copy: ${file}` : ''),
      );
    });

  cards
    .command('list')
    .description('list cards (newest first), or the cards issued to one e-mail')
    .option('--email <addr>', 'only cards issued to this e-mail')
    .option('--json', 'machine-readable output')
    .action(async (o: { email?: string; json?: boolean }) => {
      const app = await ctx.app();
      const list = o.email ? await app.services.cards.listByEmail(o.email) : await app.services.cards.listAll();
      printResult(ctx.io, Boolean(o.json), { cards: list.map(cardJson) }, () => (list.length ? list.map(cardLine).join('\n') : 'no cards'));
    });

  cards
    .command('unlock-pin')
    .description('clear a PIN lock after too many wrong PINs (the PIN stays the same)')
    .requiredOption('--card <id|last4>', 'card id, or last 4 digits matching exactly one card')
    .option('--json', 'machine-readable output')
    .action(async (o: { card: string; json?: boolean }) => {
      const app = await ctx.app();
      const c = await guarded(async () => app.services.cards.resetPinLock((await app.services.cards.resolveCard(o.card)).id, 'cli'));
      printResult(ctx.io, Boolean(o.json), { card: cardJson(c) }, () => `PIN lock cleared: ${cardLine(c)}`);
    });

  for (const [name, verb] of [['freeze', 'freeze'], ['unfreeze', 'unfreeze']] as const) {
    cards
      .command(name)
      .description(name === 'freeze' ? 'freeze a card as support (the cardholder cannot lift it)' : 'lift any freeze of a card')
      .requiredOption('--card <id|last4>', 'card id, or last 4 digits matching exactly one card')
      .option('--json', 'machine-readable output')
      .action(async (o: { card: string; json?: boolean }) => {
        const app = await ctx.app();
        const c = await guarded(async () => app.services.cards[verb]((await app.services.cards.resolveCard(o.card)).id, 'support', { actor: 'cli' }));
        printResult(ctx.io, Boolean(o.json), { card: cardJson(c) }, () => cardLine(c));
      });
  }
}

registerCommands(register);
