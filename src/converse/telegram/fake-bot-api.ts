/**
 * The local fake Telegram Bot API the `telegram` channel of conversation scripts runs against.
 * It is the Telegram adapter's test fake (test/support/fake-telegram.ts), re-exported here so the
 * runner has one place to import it from.
 */
export * from '../../../test/support/fake-telegram.js';
