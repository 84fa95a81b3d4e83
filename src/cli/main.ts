import { ConfigError, loadConfig } from '../app/config.js';
import { openApp, type App } from '../app/app.js';
import { startAssistant } from '../app/start.js';
import { dataDirHolder } from '../infra/db/datadir-lock.js';
import { forwardToRunning } from '../infra/control.js';
import { runCli } from './program.js';
import './commands.js';

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
  const first = argv.find((a) => !a.startsWith('-'));
  const local = !first || first === 'help' || argv.includes('--help') || argv.includes('-h') || first === 'chat' || first === 'converse';
  if (config.embedded && !local && dataDirHolder(config.DATA_DIR) !== null) {
    const r = await forwardToRunning(config.DATA_DIR, argv);
    r.out.forEach((l) => io.out(l));
    r.err.forEach((l) => io.err(l));
    return r.code;
  }
  let app: App | undefined;
  try {
    return await runCli(argv, {
      io,
      app: async () => (app ??= await openApp(config, { quietMetrics: true })),
      chat: async () => {
        const running = await startAssistant(config, { console: true });
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
