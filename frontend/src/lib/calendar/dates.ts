// Calendar date math on plain "YYYY-MM-DD" days. All arithmetic goes through
// UTC so a daylight-saving change on the laptop never makes a day 23 or 25
// hours long or repeats a date.

import { nowDate } from '../clock';

export type Day = string; // "YYYY-MM-DD"

const DAY_MS = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Builds a day from a year, a 1-based month and a day of the month (overflow rolls over). */
export function makeDay(year: number, month: number, date: number): Day {
  return fromUTC(Date.UTC(year, month - 1, date));
}

export function parseDay(day: Day): { year: number; month: number; date: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  return { year: +m[1], month: +m[2], date: +m[3] };
}

export function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const { year, month, date } = parseDay(s);
  return makeDay(year, month, date) === s;
}

function toUTC(day: Day): number {
  const { year, month, date } = parseDay(day);
  return Date.UTC(year, month - 1, date);
}

function fromUTC(ms: number): Day {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A Date at UTC midnight of the day, for Intl formatting with timeZone: 'UTC'. */
export function dayToDate(day: Day): Date {
  return new Date(toUTC(day));
}

export function addDays(day: Day, n: number): Day {
  return fromUTC(toUTC(day) + n * DAY_MS);
}

/** Whole days from a to b (b - a). */
export function diffDays(a: Day, b: Day): number {
  return Math.round((toUTC(b) - toUTC(a)) / DAY_MS);
}

/** Adds months, keeping the day of month when it exists (31 Jan + 1 → 28/29 Feb). */
export function addMonths(day: Day, n: number): Day {
  const { year, month, date } = parseDay(day);
  const first = new Date(Date.UTC(year, month - 1 + n, 1));
  const y = first.getUTCFullYear();
  const m = first.getUTCMonth() + 1;
  return makeDay(y, m, Math.min(date, daysInMonth(y, m)));
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: Day): number {
  return new Date(toUTC(day)).getUTCDay();
}

/** The first day of the week containing day; weekStart 1 = Monday, 0 = Sunday. */
export function startOfWeek(day: Day, weekStart = 1): Day {
  return addDays(day, -((weekday(day) - weekStart + 7) % 7));
}

/** The seven days of the week containing day. */
export function weekDays(day: Day, weekStart = 1): Day[] {
  const start = startOfWeek(day, weekStart);
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

export function firstOfMonth(day: Day): Day {
  const { year, month } = parseDay(day);
  return makeDay(year, month, 1);
}

/**
 * The 6×7 = 42 days a month view shows: from the start of the week holding
 * the 1st, always six rows so the grid never jumps in height.
 */
export function monthGrid(year: number, month: number, weekStart = 1): Day[] {
  const start = startOfWeek(makeDay(year, month, 1), weekStart);
  return Array.from({ length: 42 }, (_, i) => addDays(start, i));
}

/** ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(day: Day): { year: number; week: number } {
  const thursday = addDays(day, 3 - ((weekday(day) + 6) % 7));
  const year = parseDay(thursday).year;
  const week = Math.floor(diffDays(makeDay(year, 1, 1), thursday) / 7) + 1;
  return { year, week };
}

export type View = 'week' | 'month' | 'list';

/** How many days the list (agenda) view shows from its anchor day. */
export const LIST_DAYS = 30;

/** The inclusive range of days a view shows around an anchor day. */
export function viewRange(view: View, anchor: Day, weekStart = 1): { from: Day; to: Day; days: Day[] } {
  const { year, month } = parseDay(anchor);
  const days =
    view === 'month'
      ? monthGrid(year, month, weekStart)
      : view === 'week'
        ? weekDays(anchor, weekStart)
        : Array.from({ length: LIST_DAYS }, (_, i) => addDays(anchor, i));
  return { from: days[0], to: days[days.length - 1], days };
}

/** Moves the anchor one view backwards (-1) or forwards (+1). */
export function stepAnchor(view: View, anchor: Day, dir: -1 | 1): Day {
  if (view === 'month') return addMonths(firstOfMonth(anchor), dir);
  return addDays(anchor, (view === 'week' ? 7 : LIST_DAYS) * dir);
}

/** Today's date in an IANA zone (or the laptop's zone when none is given). */
export function todayIn(zone?: string, now: Date = nowDate()): Day {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(now);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}`;
  } catch {
    return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }
}

/** "HH:MM" from an hour 0–23 and minutes. */
export function hhmm(hour: number, minute = 0): string {
  return `${pad(hour)}:${pad(minute)}`;
}
