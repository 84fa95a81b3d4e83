/**
 * The test SMTP server lives in src/testkit/smtp-sink.ts: conversation scripts read their e-mails
 * from it when they run with SMTP (test/ is not shipped). Tests import it from here as before.
 */
export * from '../../src/testkit/smtp-sink.js';
