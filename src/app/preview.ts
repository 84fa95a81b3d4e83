import type { Config } from '../config/config.js';
import type { Outbound } from '../engine/types.js';

/**
 * The greeting of a brand-new console chat, computed before the database opens: the same root
 * machine and engine on a throwaway in-process store. Only used when DATA_DIR has no database yet,
 * so no earlier conversation can exist and the real first turn answers exactly the same.
 */
export async function previewGreeting(config: Config, chatId = 'local'): Promise<Outbound[] | null> {
  const [{ createRootMachine }, { flowRegistry }, { Engine }, { Catalogue }, { MemoryStore }, { SystemClock }, { createLogger }] = await Promise.all([
    import('../../flows/root.js'),
    import('../../flows/index.js'),
    import('../engine/engine.js'),
    import('../i18n/i18n.js'),
    import('../infra/store/memory.js'),
    import('../lib/clock.js'),
    import('../lib/logger.js'),
  ]);
  const engine = new Engine(createRootMachine(flowRegistry), new MemoryStore(), new Catalogue(), new SystemClock(config.CLOCK_OFFSET_MS ?? 0), createLogger('silent'), {
    sessionIdleMs: config.SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: config.SESSION_MAX_HOURS * 3600_000,
    conversationIdleMs: config.CONVERSATION_IDLE_HOURS * 3600_000,
    defaultLang: config.DEFAULT_LANGUAGE,
  }, { turn: (_channel, o) => (outcome = o) });
  let outcome = '';
  const { outbound } = await engine.handle({ channel: 'console', chatId, kind: 'command', command: 'start', arg: '' });
  // A greeting that needed a service (none is provided here) is left to the real first turn.
  return outcome === 'ok' ? outbound : null;
}
