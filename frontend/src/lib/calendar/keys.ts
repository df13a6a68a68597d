// Keyboard navigation math for the calendar grids: which day (and, in the
// week view, which hour) a key moves the focus to. Pure, so it is tested.
import { addDays, addMonths, type Day, type View } from './dates';

export interface Cursor {
  day: Day;
  hour: number; // 0–23, used by the week view
}

/**
 * The cursor after a navigation key, or null when the key does not navigate.
 * Month: ←/→ a day, ↑/↓ a week. Week: ←/→ a day, ↑/↓ an hour (clamped to the
 * day). PgUp/PgDn: the previous/next month (month view) or week (week view);
 * Home: today.
 */
export function navigate(view: View, key: string, at: Cursor, today: Day): Cursor | null {
  const { day, hour } = at;
  switch (key) {
    case 'ArrowLeft':
      return { day: addDays(day, -1), hour };
    case 'ArrowRight':
      return { day: addDays(day, 1), hour };
    case 'ArrowUp':
      return view === 'week' ? { day, hour: Math.max(0, hour - 1) } : { day: addDays(day, -7), hour };
    case 'ArrowDown':
      return view === 'week' ? { day, hour: Math.min(23, hour + 1) } : { day: addDays(day, 7), hour };
    case 'PageUp':
      return { day: view === 'month' ? addMonths(day, -1) : addDays(day, -7), hour };
    case 'PageDown':
      return { day: view === 'month' ? addMonths(day, 1) : addDays(day, 7), hour };
    case 'Home':
      return { day: today, hour };
    default:
      return null;
  }
}

/** The next/previous id in a list (list view ↑/↓), clamped at the ends; the first when none is focused. */
export function stepInList(ids: readonly number[], current: number, dir: -1 | 1): number | null {
  if (ids.length === 0) return null;
  const i = ids.indexOf(current);
  if (i === -1) return dir === 1 ? ids[0] : ids[ids.length - 1];
  return ids[Math.min(ids.length - 1, Math.max(0, i + dir))];
}
