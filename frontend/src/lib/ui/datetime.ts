// Dates and times as the user writes them (issue 16): the text of the
// DateField and TimeField, parsed and formatted in the user's convention
// instead of the engine's own <input type=date>, which WebKitGTK shows in its
// default order whatever the UI language. Values go in and out as ISO
// 'YYYY-MM-DD' and 'HH:MM', so callers keep their logic.
import type { UiLanguage } from '../i18n/core';
import { nowDate } from '../clock';

export type DateOrder = 'dmy' | 'mdy' | 'ymd';
export type Convention = { order: DateOrder; hour12: boolean };

const DMY24: Convention = { order: 'dmy', hour12: false };

/**
 * The convention of the UI language: Spanish and Italian write dd/mm/yyyy and
 * 24 h; English follows the system's English locale (en-US: mm/dd/yyyy and
 * 12 h), and is en-GB when the system is not English.
 */
export function conventionFor(lang: UiLanguage, systemLocale?: string | null): Convention {
  if (lang !== 'en') return DMY24;
  const sys = systemLocale && /^en(-|$)/i.test(systemLocale) ? systemLocale : 'en-GB';
  try {
    const parts = new Intl.DateTimeFormat(sys, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(2026, 0, 31));
    const order = parts
      .filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year')
      .map((p) => p.type[0])
      .join('');
    const cycle = new Intl.DateTimeFormat(sys, { hour: 'numeric' }).resolvedOptions().hourCycle;
    return { order: order === 'mdy' || order === 'ymd' ? order : 'dmy', hour12: cycle === 'h11' || cycle === 'h12' };
  } catch {
    return DMY24;
  }
}

/** The system's locale as the engine reports it ('' outside a browser). */
export function systemLocale(): string {
  return typeof navigator === 'undefined' ? '' : (navigator.language ?? '');
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function splitIso(iso: string): [number, number, number] | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return [y, mo, d];
}

/** An ISO date as the user writes it ('' for an empty or malformed value). */
export function formatDate(iso: string, c: Convention): string {
  const p = splitIso(iso ?? '');
  if (!p) return '';
  const [y, m, d] = p;
  if (c.order === 'ymd') return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
  return c.order === 'mdy' ? `${pad(m)}/${pad(d)}/${pad(y, 4)}` : `${pad(d)}/${pad(m)}/${pad(y, 4)}`;
}

/** Why a typed date is not one: not a date at all, or a day its month lacks. */
export type DateProblem = { kind: 'format' } | { kind: 'noSuchDay'; year: number; month: number; days: number };

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: DateProblem };

/**
 * The ISO date of what the user typed: '' when empty; dd/mm/yyyy, d/m/yy
 * (2000 + yy), with '/', '.', '-' or spaces between, in the convention's order
 * (month first for en-US); an ISO yyyy-mm-dd is accepted in every convention.
 */
export function parseDate(text: string, c: Convention): Parsed<string> {
  const s = text.trim();
  if (!s) return { ok: true, value: '' };
  const parts = s.split(/\s*[/.\-\s]\s*/);
  if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p))) return { ok: false, problem: { kind: 'format' } };
  let y: string, m: string, d: string;
  if (parts[0].length === 4 || (c.order === 'ymd' && parts[2].length <= 2)) [y, m, d] = parts;
  else if (c.order === 'mdy') [m, d, y] = parts;
  else [d, m, y] = parts;
  if (d.length > 2 || m.length > 2 || (y.length !== 2 && y.length !== 4)) return { ok: false, problem: { kind: 'format' } };
  const year = y.length === 2 ? 2000 + Number(y) : Number(y);
  const month = Number(m);
  const day = Number(d);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return { ok: false, problem: { kind: 'format' } };
  const days = daysInMonth(year, month);
  if (day > days) return { ok: false, problem: { kind: 'noSuchDay', year, month, days } };
  return { ok: true, value: `${pad(year, 4)}-${pad(month)}-${pad(day)}` };
}

/** An 'HH:MM' time as the user writes it: 24 h, or h:mm AM/PM in a 12 h convention. */
export function formatTime(hhmm: string, c: Convention): string {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm ?? '');
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return '';
  if (!c.hour12) return `${m[1]}:${m[2]}`;
  const h = Number(m[1]);
  return `${h % 12 === 0 ? 12 : h % 12}:${m[2]} ${h < 12 ? 'AM' : 'PM'}`;
}

/**
 * The 'HH:MM' of what the user typed: '' when empty; 'H', 'H:MM', 'H.MM',
 * 'HHMM', each with an optional am/pm (a.m., p, …) in any convention.
 */
export function parseTime(text: string): Parsed<string> {
  const s = text.trim().toLowerCase();
  if (!s) return { ok: true, value: '' };
  const m = /^(\d{1,2})(?:[:.h]?(\d{2}))?\s*(?:([ap])\.?\s*m?\.?)?$/.exec(s);
  if (!m) return { ok: false, problem: { kind: 'format' } };
  let h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (min > 59) return { ok: false, problem: { kind: 'format' } };
  if (m[3]) {
    if (h < 1 || h > 12) return { ok: false, problem: { kind: 'format' } };
    h = (h % 12) + (m[3] === 'p' ? 12 : 0);
  } else if (h > 23) return { ok: false, problem: { kind: 'format' } };
  return { ok: true, value: `${pad(h)}:${pad(min)}` };
}

/** Today as an ISO date in the machine's zone. */
export function todayIso(now = nowDate()): string {
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** iso moved by days and months (the day clamped to the new month's last). */
export function stepDate(iso: string, days: number, months = 0): string {
  const [y, m, d] = splitIso(iso) ?? splitIso(todayIso())!;
  const mi = y * 12 + (m - 1) + months;
  const ny = Math.floor(mi / 12);
  const nm = (mi % 12) + 1;
  const at = new Date(Date.UTC(ny, nm - 1, Math.min(d, daysInMonth(ny, nm)) + days));
  return `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
}

/** hhmm moved by minutes, around the clock ('' starts at the current hour). */
export function stepTime(hhmm: string, minutes: number, now = nowDate()): string {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const start = m ? Number(m[1]) * 60 + Number(m[2]) : now.getHours() * 60;
  const t = (((start + minutes) % 1440) + 1440) % 1440;
  return `${pad(Math.floor(t / 60))}:${pad(t % 60)}`;
}
