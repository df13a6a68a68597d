// The list (agenda) view: the days of a range that have posts, in order,
// each with its posts sorted by time.
import type { Day } from './dates';

export interface AgendaDay<T> {
  day: Day;
  items: T[];
}

/**
 * The days in [from, to] that have items, ascending. byDay is the calendar's
 * day → items map (already sorted by time within each day).
 */
export function agendaDays<T>(byDay: ReadonlyMap<Day, T[]>, from: Day, to: Day): AgendaDay<T>[] {
  const out: AgendaDay<T>[] = [];
  for (const [day, items] of byDay) {
    if (day >= from && day <= to && items.length > 0) out.push({ day, items });
  }
  out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return out;
}

/** Every item of an agenda in display order (for keyboard moves between rows). */
export function agendaOrder<T extends { id: number }>(days: readonly AgendaDay<T>[]): number[] {
  const ids: number[] = [];
  for (const d of days) for (const it of d.items) ids.push(it.id);
  return ids;
}
