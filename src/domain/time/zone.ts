import { DateTime, IANAZone } from 'luxon';

/** Zones offered as buttons in Settings (any other IANA zone can be typed). */
export const COMMON_ZONES = ['Asia/Tokyo', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Europe/Paris', 'Asia/Singapore', 'Australia/Sydney', 'UTC'] as const;

/** Abbreviations people know, where Intl only offers "GMT+9" (standard time, summer time). */
const KNOWN: Record<string, [string, string]> = {
  'Asia/Tokyo': ['JST', 'JST'], 'Asia/Seoul': ['KST', 'KST'], 'Asia/Singapore': ['SGT', 'SGT'], 'Asia/Hong_Kong': ['HKT', 'HKT'],
  'Asia/Shanghai': ['CST', 'CST'], 'Asia/Kolkata': ['IST', 'IST'], 'Europe/London': ['GMT', 'BST'], 'Europe/Dublin': ['GMT', 'IST'],
  'Europe/Paris': ['CET', 'CEST'], 'Europe/Berlin': ['CET', 'CEST'], 'Europe/Madrid': ['CET', 'CEST'], 'Europe/Rome': ['CET', 'CEST'],
  'Europe/Amsterdam': ['CET', 'CEST'], 'Europe/Zurich': ['CET', 'CEST'], 'Australia/Sydney': ['AEST', 'AEDT'], 'Australia/Melbourne': ['AEST', 'AEDT'],
  'Pacific/Auckland': ['NZST', 'NZDT'], UTC: ['UTC', 'UTC'], 'Etc/UTC': ['UTC', 'UTC'],
};

/** The short name of `zone` at `at` ("JST", "BST", "EST"; else Intl's, e.g. "GMT+3"). */
export function zoneAbbreviation(zone: string, at: Date): string {
  const t = DateTime.fromJSDate(at).setZone(zone);
  const known = KNOWN[zone];
  if (known) return t.isInDST ? known[1] : known[0];
  return t.toFormat('ZZZZ', { locale: 'en-US' });
}

/** A moment as people read it in `zone`, naming the zone: "12/02/2026 14:21 JST" (or a luxon `format`). */
export function formatInZone(at: Date, zone: string, format = 'MM/dd/yyyy HH:mm'): string {
  return `${DateTime.fromJSDate(at).setZone(zone).toFormat(format)} ${zoneAbbreviation(zone, at)}`;
}

/** Every IANA zone this runtime knows (Node's ICU). */
function allZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [...COMMON_ZONES];
}

/**
 * The IANA zone a person typed: an exact name in any case ("europe/london"), or a city alone
 * ("London", "new york") when it names exactly one zone; null otherwise.
 */
export function findZone(text: string): string | null {
  const typed = text.normalize('NFKC').trim().replace(/\s+/g, '_');
  if (!typed || typed.length > 64) return null;
  const lower = typed.toLowerCase();
  if (lower === 'utc' || lower === 'gmt') return 'UTC';
  const zones = allZones();
  const exact = zones.find((z) => z.toLowerCase() === lower);
  if (exact) return exact;
  const byCity = zones.filter((z) => z.toLowerCase().endsWith(`/${lower}`));
  if (byCity.length === 1) return byCity[0]!;
  return IANAZone.isValidZone(typed) && typed.includes('/') ? typed : null;
}
