import { Command, CommanderError } from 'commander';
import type { App } from '../app/app.js';
import { migrate } from '../infra/db/migrator.js';
import { CliError, printResult, type CliIO } from './io.js';

/** How commands get the app: opened on demand (or the running one, inside the assistant). */
export interface CliContext {
  io: CliIO;
  app(): Promise<App>;
  /**
   * Just the database, clock and configuration, for commands that need nothing more (opened without
   * services or engine when the CLI runs alone). Absent: {@link dataOf} falls back to the app.
   */
  data?(): Promise<DataAccess>;
  /** Runs the console chat (only in a real terminal process). */
  chat?(): Promise<void>;
  /** Runs conversation scripts (added by the conversation-scripts runner). */
  converse?(files: string[], opts: Record<string, unknown>): Promise<number>;
}

/** What {@link CliContext.data} gives: a part of the App. */
export type DataAccess = Pick<App, 'config' | 'clock' | 'db'>;

/** The database for a command that needs only it: the light one when the context has it, else the app. */
export function dataOf(ctx: CliContext): Promise<DataAccess> {
  return ctx.data ? ctx.data() : ctx.app();
}

/** Command modules register themselves here. */
export type CommandModule = (program: Command, ctx: CliContext) => void;

const modules: CommandModule[] = [];

/** Adds a group of commands (cards, rates, usage, ledger …). */
export function registerCommands(m: CommandModule): void {
  modules.push(m);
}

/** Builds the `omnipay` program. Errors become one line and a non-zero exit code. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('omnipay')
    .description('OMNIPAY Assistant operator commands')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.io.out(s.trimEnd()), writeErr: (s) => ctx.io.err(s.trimEnd()) })
    .showHelpAfterError(false);

  program
    .command('migrate')
    .description('apply pending database migrations')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const app = await dataOf(ctx);
      const r = await migrate(app.db);
      printResult(ctx.io, Boolean(o.json), r, () => (r.applied.length ? `applied: ${r.applied.join(', ')}` : `up to date (${r.alreadyApplied} migrations)`));
    });

  program
    .command('chat')
    .description('chat with the assistant in this terminal')
    .action(async () => {
      if (!ctx.chat) throw new CliError('chat runs only from a terminal');
      await ctx.chat();
    });

  for (const m of modules) m(program, ctx);
  return program;
}

/** Runs argv (without node and script) and returns the exit code. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      return err.exitCode || 2;
    }
    ctx.io.err(`omnipay: ${oneLine(err)}`);
    return 1;
  }
}

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // Some errors (Prisma's) start with a blank line; show the first line that says something.
  const line = msg.split('\n').map((l) => l.trim()).find(Boolean) ?? 'unknown error';
  return line.length > 300 ? line.slice(0, 300) + '…' : line;
}
