import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config/config.js';
import type { Running } from './app/start.js';
import type { Outbound } from './engine/types.js';
import { DataDirBusyError, dataDirHolder } from './infra/db/datadir-lock.js';

/** `npm start`: the assistant with whatever channels the environment configures. */
async function main(): Promise<void> {
  // Signals are taken from the first moment: one that arrives while the assistant is still starting
  // (the greeting already shown) stops it as soon as the start is done, closing the database cleanly;
  // a second one during the start gives up at once.
  let running: Running | undefined;
  let pending: string | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (!running) {
      if (pending) process.exit(1);
      pending = signal;
      return;
    }
    if (stopping) return;
    stopping = true;
    running.app.log.info({ signal }, 'shutting down');
    await running.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  const config = loadConfig();
  // Only the assistant process arms failpoints (never an in-process test app).
  if (config.OMNIPAY_FAILPOINTS) (await import('./lib/failpoints.js')).armFailpoints(config.OMNIPAY_FAILPOINTS);
  if (config.embedded) {
    // Refuse a busy data folder before loading the rest (openApp takes the lock itself).
    const holder = dataDirHolder(config.DATA_DIR);
    if (holder !== null && holder !== process.pid) throw new DataDirBusyError(config.DATA_DIR, holder);
  }
  // A newcomer's first `npm start` (no database yet, console chat): greet at once, before the
  // embedded database and the services load; the real first turn then takes over the screen.
  let greeted: Outbound[] | undefined;
  if (config.embedded && !config.REDIS_URL && !config.TELEGRAM_BOT_TOKEN && !existsSync(join(config.DATA_DIR, 'pglite', 'PG_VERSION'))) {
    const [{ previewGreeting }, { formatText }] = await Promise.all([import('./app/preview.js'), import('./channels/console/console.js')]);
    greeted = (await previewGreeting(config)) ?? undefined;
    for (const o of greeted ?? []) if (o.kind === 'text') process.stdout.write(formatText(o.text, o.buttons));
  }
  // Loaded after the configuration is valid, so a bad variable is reported at once.
  const { startAssistant } = await import('./app/start.js');
  // With the console chat on stdout, log lines go to stderr so they do not interleave with the chat.
  const consoleChat = !config.TELEGRAM_BOT_TOKEN;
  running = await startAssistant(config, {
    // Operator commands reach the running assistant through its control socket; the CLI loads on the first one.
    control: async (argv, app) => (await import('./cli/control.js')).runForwarded(argv, app),
    ...(greeted ? { greeted } : {}),
    ...(consoleChat ? { logDestination: { write: (line: string) => void process.stderr.write(line) } } : {}),
  });
  // A part that cannot go on (e.g. another process polls the bot): stop, and exit non-zero so a
  // supervisor starts the assistant again.
  const started = running;
  void started.failed.then(async (reason) => {
    if (stopping) return;
    stopping = true;
    started.app.log.fatal({ reason }, 'the assistant cannot go on; stopping');
    await started.stop();
    process.exit(1);
  });
  if (pending) return shutdown(pending);
  if (started.console) {
    await started.done;
    // A container without a terminal has no console input; it still serves HTTP until SIGTERM.
    if (started.http) started.app.log.info('console input ended; still serving HTTP until SIGTERM');
    else await shutdown('end of input');
  }
}

main().catch((err: unknown) => {
  const e = err as Error & { code?: string };
  const msg = err instanceof ConfigError || e.code ? e.message : `${e.message}`;
  process.stderr.write(`omnipay: ${msg.split('\n')[0]}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
