import { ConsoleChannel } from '../channels/console/console.js';
import { serveControl, type ControlResult } from '../infra/control.js';
import { addHealthRoutes, addMetricsRoute } from './health.js';
import { HttpServer } from '../infra/http/server.js';
import { setMailPrinter } from '../services/mail/sender.js';
import { openApp, type App, type AppOverrides } from './app.js';
import { enabledRunners } from './runners.js';
import type { Config } from '../config/config.js';
import type { Outbound } from '../engine/types.js';

/** `/metrics` listens here when METRICS_PORT is unset and the HTTP server runs. */
const DEFAULT_METRICS_PORT = 9464;

/** A started assistant. */
export interface Running {
  app: App;
  http?: HttpServer;
  httpPort?: number;
  /** Where `/metrics` listens (METRICS_HOST), when it does. */
  metricsPort?: number;
  /** Resolves with the reason when a part of the assistant failed for good (the caller should exit non-zero). */
  failed: Promise<string>;
  console?: ConsoleChannel;
  /** Resolves when the console chat's input ends (console mode only). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Options for {@link startAssistant}. */
export interface StartOptions extends AppOverrides {
  /** Force the console chat on (the `chat` command) or off (tests). Default: on when no chat channel is enabled. */
  console?: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /**
   * Runs an operator command forwarded through the control socket (embedded database only); the
   * entry point supplies the CLI, so the composition root never loads it.
   */
  control?: (argv: string[], app: App) => Promise<ControlResult>;
  /** The console greeting already printed before start (see app/preview.ts). */
  greeted?: Outbound[];
}

/**
 * Starts everything the configuration enables: channels, workers, the HTTP server, the control
 * socket for CLI commands (embedded database), and the console chat when no chat channel is set.
 */
export async function startAssistant(config: Config, o: StartOptions = {}): Promise<Running> {
  const app = await openApp(config, o);
  const stops: (() => Promise<void>)[] = [];
  // An operator must see at a glance whether charges are really paid.
  if (config.paymentMode === 'sandbox') app.log.info({ payments: 'sandbox' }, 'payments: sandbox (charges confirm themselves with no payment; test and demo only)');
  else app.log.info({ payments: 'webhook' }, 'payments: webhook (charges complete when the provider calls POST /payments/webhook)');
  try {
    const runners = enabledRunners(app);
    let http: HttpServer | undefined;
    let httpPort: number | undefined;
    if (config.HTTP_PORT !== undefined) {
      http = new HttpServer(app.log.child({ part: 'http' }));
      addHealthRoutes(http, app);
    }
    let consoleChannel: ConsoleChannel | undefined;
    const wantConsole = o.console ?? !runners.some((r) => r.isChatChannel);
    if (wantConsole) {
      consoleChannel = new ConsoleChannel({ engine: app.engine, input: o.input ?? process.stdin, output: o.output ?? process.stdout, dataDir: config.DATA_DIR, ...(o.greeted ? { greeted: o.greeted } : {}) });
      const c = consoleChannel;
      app.engine.delivery.setSender('console', async (_chatId, outbound) => c.show(outbound));
      setMailPrinter(app, (text) => c.print(text));
    }
    for (const r of runners) stops.push(await r.start(app, http));
    if (http) {
      httpPort = await http.listen(config.HTTP_PORT!);
      app.log.info({ port: httpPort }, 'http listening');
      stops.push(() => http!.close());
    }
    // Metrics stay off the public port: by default only this host can read them.
    let metricsPort: number | undefined;
    const wantedMetrics = config.METRICS_PORT ?? (config.HTTP_PORT !== undefined ? DEFAULT_METRICS_PORT : undefined);
    if (wantedMetrics !== undefined) {
      const metrics = new HttpServer(app.log.child({ part: 'metrics' }));
      addMetricsRoute(metrics, app);
      metricsPort = await metrics.listen(wantedMetrics, config.METRICS_HOST).catch((err: Error) => {
        throw new Error(`METRICS_PORT: cannot listen on ${config.METRICS_HOST}:${wantedMetrics} (${err.message})`);
      });
      app.log.info({ port: metricsPort, host: config.METRICS_HOST }, 'metrics listening');
      stops.push(() => metrics.close());
    }
    const failed = new Promise<string>((resolve) => app.onFail(resolve));
    if (config.embedded && o.control) {
      const run = o.control;
      stops.push(await serveControl(config.DATA_DIR, (argv) => run(argv, app)));
    }
    const done = consoleChannel ? consoleChannel.run() : new Promise<void>(() => undefined);
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      for (const s of stops.reverse()) await s().catch((err: Error) => app.log.warn({ err: err.message }, 'stop failed'));
      await app.close();
    };
    return { app, failed, ...(metricsPort ? { metricsPort } : {}), ...(http ? { http } : {}), ...(httpPort ? { httpPort } : {}), ...(consoleChannel ? { console: consoleChannel } : {}), done, stop };
  } catch (err) {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await app.close();
    throw err;
  }
}
