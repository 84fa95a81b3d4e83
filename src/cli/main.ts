import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config/config.js';
import { controlSocketPath, forwardToRunning, isOperatorCommand } from '../infra/control.js';
import { dataDirHolder } from '../infra/db/datadir-lock.js';

/** How long a command waits for a starting assistant to open its control socket. */
const SOCKET_WAIT_MS = 60_000;

/** `omnipay <command>`: runs in this process, or inside the running assistant when it holds the embedded database. */
async function main(argv: string[]): Promise<number> {
  const io = { out: (s: string) => process.stdout.write(s + '\n'), err: (s: string) => process.stderr.write(s + '\n') };
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    io.err(`omnipay: ${(err as Error).message}`);
    return 2;
  }
  // Only the operator commands cross the control socket (it refuses anything else); help, chat,
  // converse and words the program does not know run here (an unknown one fails before opening anything).
  const local = argv.includes('--help') || argv.includes('-h') || !isOperatorCommand(argv);
  const holder = config.embedded && !local ? dataDirHolder(config.DATA_DIR) : null;
  if (holder !== null) {
    // The running assistant holds the embedded database: hand it the command (it may still be starting).
    const socket = controlSocketPath(config.DATA_DIR);
    const deadline = Date.now() + SOCKET_WAIT_MS;
    while (!existsSync(socket) && Date.now() < deadline && dataDirHolder(config.DATA_DIR) === holder) await new Promise((r) => setTimeout(r, 100));
    if (existsSync(socket)) {
      const r = await forwardToRunning(config.DATA_DIR, argv);
      r.out.forEach((l) => io.out(l));
      r.err.forEach((l) => io.err(l));
      return r.code;
    }
    if (dataDirHolder(config.DATA_DIR) !== null) {
      io.err(`omnipay: the assistant (process ${holder}) holds DATA_DIR ${config.DATA_DIR} but does not answer on ${socket}`);
      return 1;
    }
    // It ended meanwhile: run here.
  }
  // Loaded only when the command runs in this process (forwarding stays fast).
  const [{ openApp }, { startAssistant }, { runCli }] = await Promise.all([import('../app/app.js'), import('../app/start.js'), import('./program.js')]);
  await import('./commands.js');
  let app: Awaited<ReturnType<typeof openApp>> | undefined;
  try {
    return await runCli(argv, {
      io,
      // Logs go to stderr so stdout carries only the command's output (--json stays parseable).
      app: async () => (app ??= await openApp(config, { quietMetrics: true, logDestination: process.stderr })),
      chat: async () => {
        // The chat has stdout; log lines go to stderr.
        const running = await startAssistant(config, { console: true, logDestination: { write: (line: string) => void process.stderr.write(line) } });
        await running.done;
        await running.stop();
      },
    });
  } finally {
    await app?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`omnipay: ${(err instanceof ConfigError ? err.message : (err as Error).message).split('\n')[0]}\n`);
    process.exit(1);
  },
);
