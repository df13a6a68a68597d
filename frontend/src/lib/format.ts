// Locale formatting of wall-clock days and times. A plain day or "HH:MM" is
// turned into a UTC Date and formatted with timeZone 'UTC', so the laptop's
// own zone never shifts what the client's clock says.
import { dayToDate, type Day } from './calendar/dates';

const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = locale + JSON.stringify(opts);
  let f = cache.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' });
    cache.set(k, f);
  }
  return f;
}

function capitalize(s: string, locale: string): string {
  return s ? s.charAt(0).toLocaleUpperCase(locale) + s.slice(1) : s;
}

/** "March 2026", "Marzo de 2026", "Marzo 2026". */
export function monthTitle(day: Day, locale: string): string {
  return capitalize(fmt(locale, { month: 'long', year: 'numeric' }).format(dayToDate(day)), locale);
}

/** "23–29 Mar 2026", across months/years as the locale likes it. */
export function rangeTitle(from: Day, to: Day, locale: string): string {
  const f = fmt(locale, { day: 'numeric', month: 'short', year: 'numeric' });
  const a = dayToDate(from);
  const b = dayToDate(to);
  return typeof f.formatRange === 'function' ? f.formatRange(a, b) : `${f.format(a)} – ${f.format(b)}`;
}

export function weekdayShort(day: Day, locale: string): string {
  return fmt(locale, { weekday: 'short' }).format(dayToDate(day));
}

export function dayOfMonth(day: Day, locale: string): string {
  return fmt(locale, { day: 'numeric' }).format(dayToDate(day));
}

/** "Monday 23 March 2026" (for labels and toasts). */
export function longDay(day: Day, locale: string): string {
  return fmt(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(dayToDate(day));
}

/** "23 March 2026". */
export function mediumDay(day: Day, locale: string): string {
  return fmt(locale, { day: 'numeric', month: 'long', year: 'numeric' }).format(dayToDate(day));
}

/** "HH:MM" in the locale's clock (always 2-digit, 24 h in es/it/en-GB). */
export function formatTime(time: string, locale: string): string {
  const m = /^(\d{1,2}):(\d{2})/.exec(time);
  if (!m) return time;
  return fmt(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(Date.UTC(2000, 0, 1, +m[1], +m[2])));
}
