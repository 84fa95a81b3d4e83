import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import type { Config } from '../config/config.js';
import { controlSocketPath, forwardToRunning, isOperatorCommand } from '../infra/control.js';
import { dataDirHolder } from '../infra/db/datadir-lock.js';
import type { App } from '../app/app.js';
import type { OpenData } from '../app/data.js';

/** How long a command waits for a starting assistant to open its control socket. */
const SOCKET_WAIT_MS = 60_000;

/** `omnipay <command>`: runs in this process, or inside the running assistant when it holds the embedded database. */
async function main(argv: string[]): Promise<number> {
  const io = { out: (s: string) => process.stdout.write(s + '\n'), err: (s: string) => process.stderr.write(s + '\n') };
  const first = argv.find((a) => !a.startsWith('-'));
  const help = !first || first === 'help' || argv.includes('--help') || argv.includes('-h');
  // The program and the commands' descriptions only: each command loads what it needs when it runs.
  const [{ runCli }] = await Promise.all([import('./program.js'), import('./commands.js')]);
  if (help) return runCli(argv, { io, app: () => Promise.reject(new Error('no command runs with --help')) });
  const { loadConfig } = await import('../config/config.js');
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    io.err(`omnipay: ${(err as Error).message}`);
    return 2;
  }
  // A one-shot command runs WebAssembly (PGlite's PostgreSQL, Prisma's query compiler) once: V8's
  // baseline code is enough, and optimising it on background threads about doubled the CPU time of
  // `rates list`. Not for the long-running `chat` and `converse`.
  if (first !== 'chat' && first !== 'converse') setFlagsFromString('--liftoff-only');
  // Only the operator commands cross the control socket (it refuses anything else); chat, converse
  // and words the program does not know run here (an unknown one fails before opening anything).
  const local = !isOperatorCommand(argv);
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
  // Loaded only when the command runs in this process and needs them (forwarding stays fast; a
  // command that needs only the database does not load the services, engine and flows).
  let app: App | undefined;
  let data: OpenData | undefined;
  try {
    return await runCli(argv, {
      io,
      data: async () => app ?? (data ??= await (await import('../app/data.js')).openData(config)),
      // Logs go to stderr so stdout carries only the command's output (--json stays parseable).
      app: async () => {
        if (app) return app;
        const { openApp } = await import('../app/app.js');
        return (app = await openApp(config, { quietMetrics: true, logDestination: process.stderr, ...(data ? { db: data.db } : {}) }));
      },
      chat: async () => {
        // The chat has stdout; log lines go to stderr.
        const { startAssistant } = await import('../app/start.js');
        const running = await startAssistant(config, { console: true, control: async (argv, app) => (await import('./control.js')).runForwarded(argv, app), logDestination: { write: (line: string) => void process.stderr.write(line) } });
        await running.done;
        await running.stop();
      },
    });
  } finally {
    await app?.close();
    await data?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`omnipay: ${(err as Error).message.split('\n')[0]}\n`);
    process.exit(1);
  },
);
