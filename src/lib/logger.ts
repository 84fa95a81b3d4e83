import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths redacted from every log line. Secrets should never be handed to the logger at all; this is
 * the second line of defence.
 */
export const REDACT_PATHS = [
  'password', 'newPassword', 'pin', 'newPin', 'code', 'token', 'secret', 'answer', 'text', 'cardNumber', 'pan',
  '*.password', '*.newPassword', '*.pin', '*.newPin', '*.code', '*.token', '*.secret', '*.answer', '*.text', '*.cardNumber', '*.pan',
  'headers.authorization', 'headers["x-telegram-bot-api-secret-token"]', 'req.headers.authorization',
  'config.APP_SECRET', 'config.TELEGRAM_BOT_TOKEN', 'config.SLACK_BOT_TOKEN', 'config.SMTP_URL', 'config.DATABASE_URL',
];

export type { Logger };

/** Creates the root logger. `destination` lets tests capture every line. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'omnipay' } }, destination);
}
