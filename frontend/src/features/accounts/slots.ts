// Weekly posting slots as the client dialog edits them: (weekday, "HH:MM")
// in the client's zone, weekday 0 = Monday (as Go's SlotView).
export interface Slot {
  weekday: number;
  time: string; // "HH:MM"
}

export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;

/**
 * What a person types for a time of day → "HH:MM", or null.
 * Accepts 9:30, 09:30, 9.30, 9h30, 930, 0930, 9 and 21.
 */
export function parseTime(input: string): string | null {
  const s = input.trim().toLowerCase();
  let m = /^(\d{1,2})\s*[:.h]\s*(\d{2})$/.exec(s);
  if (!m) m = /^(\d{1,2})(\d{2})$/.exec(s);
  if (!m && /^\d{1,2}h?$/.test(s)) m = [s, s.replace('h', ''), '00'] as unknown as RegExpExecArray;
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** Sorted by weekday then time, without duplicates; invalid entries dropped. */
export function normalizeSlots(slots: readonly Slot[]): Slot[] {
  const seen = new Set<string>();
  const out: Slot[] = [];
  for (const s of slots) {
    const time = parseTime(s.time);
    if (time === null || !Number.isInteger(s.weekday) || s.weekday < 0 || s.weekday > 6) continue;
    const k = `${s.weekday} ${time}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ weekday: s.weekday, time });
  }
  return out.sort((a, b) => a.weekday - b.weekday || a.time.localeCompare(b.time));
}

/** Adds `time` on every given weekday (a no-op for the ones that already have it). */
export function addSlots(slots: readonly Slot[], weekdays: readonly number[], time: string): Slot[] {
  return normalizeSlots([...slots, ...weekdays.map((weekday) => ({ weekday, time }))]);
}

export function removeSlot(slots: readonly Slot[], slot: Slot): Slot[] {
  return slots.filter((s) => !(s.weekday === slot.weekday && s.time === slot.time));
}

/** The slots of each weekday, Monday first. */
export function byWeekday(slots: readonly Slot[]): string[][] {
  const days: string[][] = WEEKDAYS.map(() => []);
  for (const s of normalizeSlots(slots)) days[s.weekday].push(s.time);
  return days;
}

export function sameSlots(a: readonly Slot[], b: readonly Slot[]): boolean {
  const x = normalizeSlots(a);
  const y = normalizeSlots(b);
  return x.length === y.length && x.every((s, i) => s.weekday === y[i].weekday && s.time === y[i].time);
}

/** A ready-made week: weekdays × times. */
export interface SlotPreset {
  id: string;
  weekdays: number[];
  times: string[];
}

export const PRESETS: SlotPreset[] = [
  { id: 'weekdays3', weekdays: [0, 1, 2, 3, 4], times: ['09:30', '13:00', '19:00'] },
  { id: 'daily1', weekdays: [0, 1, 2, 3, 4, 5, 6], times: ['10:00'] },
];

export function expandPreset(p: SlotPreset): Slot[] {
  return normalizeSlots(p.weekdays.flatMap((weekday) => p.times.map((time) => ({ weekday, time }))));
}

/** "Mon–Fri 09:30, 13:00, 19:00": consecutive weekdays as a range, in the UI language. */
export function describePreset(p: SlotPreset, weekdayName: (weekday: number) => string): string {
  const days = [...p.weekdays].sort((a, b) => a - b);
  const consecutive = days.every((d, i) => i === 0 || d === days[i - 1] + 1);
  const dayText =
    days.length > 2 && consecutive ? `${weekdayName(days[0])}–${weekdayName(days[days.length - 1])}` : days.map(weekdayName).join(', ');
  return `${dayText} ${p.times.join(', ')}`;
}

/** The short weekday name (0 = Monday) in a locale. */
export function weekdayName(weekday: number, locale: string, style: 'short' | 'long' = 'short'): string {
  // 1 January 2024 was a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + weekday)));
}
