// IANA time zones for the client form and the "Madrid time" badge.

import { nowDate } from './clock';

/** Used when the web view cannot list its zones (Intl.supportedValuesOf is newer). */
export const FALLBACK_ZONES = [
  'UTC',
  'Europe/Amsterdam', 'Europe/Athens', 'Europe/Berlin', 'Europe/Brussels', 'Europe/Dublin', 'Europe/Helsinki',
  'Europe/Lisbon', 'Europe/London', 'Europe/Madrid', 'Europe/Paris', 'Europe/Prague', 'Europe/Rome',
  'Europe/Stockholm', 'Europe/Vienna', 'Europe/Warsaw', 'Europe/Zurich', 'Atlantic/Canary',
  'America/Argentina/Buenos_Aires', 'America/Bogota', 'America/Chicago', 'America/Denver', 'America/Lima',
  'America/Los_Angeles', 'America/Mexico_City', 'America/New_York', 'America/Santiago', 'America/Sao_Paulo',
  'America/Toronto', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Shanghai', 'Asia/Singapore', 'Asia/Tokyo',
  'Australia/Sydney', 'Pacific/Auckland', 'Africa/Cairo', 'Africa/Johannesburg', 'Africa/Lagos',
];

let cached: string[] | undefined;

export function timeZones(): string[] {
  if (cached) return cached;
  let list: string[] = [];
  try {
    const supported = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
    if (typeof supported === 'function') list = supported('timeZone');
  } catch {
    list = [];
  }
  if (list.length === 0) list = [...FALLBACK_ZONES];
  // Some engines omit UTC from the list; a client abroad may want it.
  if (!list.includes('UTC')) list = [...list, 'UTC'];
  cached = list;
  return list;
}

/** The laptop's zone, e.g. "Europe/London". */
export function laptopZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** "Europe/Madrid" → "Madrid", "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export function cityOf(zone: string): string {
  const last = zone.split('/').pop() ?? zone;
  return last.replace(/_/g, ' ');
}


/** The wall-clock time now in a zone, formatted for a locale. */
export function nowIn(zone: string, locale: string, now: Date = nowDate()): string {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(now);
  } catch {
    return '';
  }
}
