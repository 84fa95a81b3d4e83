/**
 * The fake Telegram Bot API lives in src/testkit/telegram/fake-bot-api.ts: conversation scripts run
 * through it from the `omnipay converse --channel telegram` command too (test/ is not shipped).
 * Tests import it from here as before; edit it there.
 */
export * from '../../src/testkit/telegram/fake-bot-api.js';
