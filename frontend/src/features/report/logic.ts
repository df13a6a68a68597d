// Pure helpers of the report screen: periods, number formats, chart geometry.
import { addMonths, firstOfMonth, todayIn, type Day } from '../../lib/calendar/dates';
import { nowDate } from '../../lib/clock';

export type PeriodChoice = 'this' | 'last' | 'custom';

export interface ReportQueryShape {
  clientId: number;
  month: string;
  from: string;
  to: string;
}

/** The query for a choice, in the client's zone ("this month" is the client's month). */
export function periodQuery(clientId: number, choice: PeriodChoice, zone: string | undefined, from: Day, to: Day, now = nowDate()): ReportQueryShape {
  const today = todayIn(zone, now);
  if (choice === 'custom') return { clientId, month: '', from, to };
  const first = choice === 'this' ? firstOfMonth(today) : addMonths(firstOfMonth(today), -1);
  return { clientId, month: first.slice(0, 7), from: '', to: '' };
}

/** 1234.5 → "1.234,5" (es) / "1,234.5" (en); decimals only when needed. */
export function formatNumber(v: number, locale: string, decimals = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: decimals, minimumFractionDigits: 0 }).format(v);
}

/** A change in percent with its sign, one decimal: "+12,5", "−3". */
export function formatChange(v: number, locale: string): string {
  const s = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(Math.round(v * 10) / 10);
  return s;
}

/** The weekday name of 0 = Sunday … 6 = Saturday in locale. */
export function weekdayName(day: number, locale: string): string {
  // 2026-11-01 was a Sunday.
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 10, 1 + day)));
}

/** "2026-11" → "November 2026" in locale. */
export function monthName(month: string, locale: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

export interface Bar {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Bars of the values, scaled to a box of width × height (0 at the bottom). */
export function bars(values: number[], width: number, height: number, gap = 0.2): Bar[] {
  const max = Math.max(1, ...values);
  const step = values.length ? width / values.length : 0;
  return values.map((v, i) => {
    const h = (height * Math.max(0, v)) / max;
    return { x: i * step + (step * gap) / 2, y: height - h, w: step * (1 - gap), h };
  });
}

/** An SVG path through the points (index → value) in a box, lo..hi mapped bottom..top. */
export function linePath(points: { i: number; v: number }[], count: number, width: number, height: number, lo: number, hi: number, centred = false): string {
  if (points.length === 0) return '';
  const span = hi - lo || 1;
  const step = centred ? width / Math.max(count, 1) : width / Math.max(count - 1, 1);
  const off = centred ? step / 2 : 0;
  return points
    .map((p, k) => `${k === 0 ? 'M' : 'L'}${(off + p.i * step).toFixed(1)},${(height - ((p.v - lo) * height) / span).toFixed(1)}`)
    .join(' ');
}
