import type { Lang } from '../../../flows/shared/protocol.js';

/** A member's stored language as a catalogue language. */
export function langOf(language: string): Lang {
  return language === 'ja' ? 'ja' : 'en';
}
