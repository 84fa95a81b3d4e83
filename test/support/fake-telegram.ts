/**
 * The fake Telegram Bot API lives in src/converse/telegram/fake-bot-api.ts: conversation scripts run
 * through it from the `omnipay converse --channel telegram` command too (test/ is not shipped).
 * Tests import it from here as before; edit it there.
 */
export * from '../../src/converse/telegram/fake-bot-api.js';
