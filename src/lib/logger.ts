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

/**
 * An error as logged: pino's standard fields, with its `code` (ECONNREFUSED, P2002) as `errorCode`
 * so that the redaction of fields named `code` (e-mailed codes) does not hide it from the operator.
 */
function errSerializer(err: unknown): unknown {
  const s = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (s && typeof s === 'object' && 'code' in s) {
    const { code, ...rest } = s;
    return { ...rest, errorCode: String(code) };
  }
  return s;
}

/** Creates the root logger. `destination` lets tests capture every line. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, serializers: { err: errSerializer }, base: { app: 'omnipay' } }, destination);
}
