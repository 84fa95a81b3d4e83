import type { Lang, MediaKind, UserEvent } from '../../flows/shared/protocol.js';
import { LANGS, MEDIA_KINDS } from '../../flows/shared/protocol.js';
import type { Inbound } from './types.js';

/** The chat's language before it chose one: the platform's hint when we speak it, else the default. */
export function langOf(inbound: Inbound, fallback: Lang): Lang {
  const hint = inbound.langHint?.slice(0, 2).toLowerCase();
  return (LANGS as readonly string[]).includes(hint ?? '') ? (hint as Lang) : fallback;
}

/** Removes control characters (but keeps newlines and tabs) and caps the length people can send. */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').slice(0, 4096);
}

/** What of an error is safe and useful in a log line: its message and code. */
export function errInfo(err: unknown): { message: string; code?: string } {
  if (err instanceof Error) return { message: err.message, ...('code' in err ? { code: String((err as { code: unknown }).code) } : {}) };
  return { message: String(err) };
}

/** A media inbound as the flows see it: its kind only (an unknown kind is `other`). */
export function mediaEvent(inbound: Inbound, at: number): UserEvent {
  const media = (MEDIA_KINDS as readonly string[]).includes(inbound.media ?? '') ? (inbound.media as MediaKind) : 'other';
  return { type: 'media', media, at };
}
