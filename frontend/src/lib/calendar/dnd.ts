// Drag and drop math: where a dropped post or idea lands, as the wall clock
// of its client's zone. The backend is the judge (it shifts a time in a DST
// gap and refuses published posts); this module gives the UI its optimistic
// guess, computed the same way.
import type { Day } from './dates';

/** A month cell (the post keeps its time) or a week slot (the post keeps its minutes). */
export type DropTarget = { kind: 'day'; day: Day } | { kind: 'slot'; day: Day; hour: number };

/** Where an idea (no time yet) lands in a month cell. */
export const IDEA_TIME = '09:00';

const pad = (n: number) => String(n).padStart(2, '0');

/** Reads a drop target from a DOM element's data attributes (day cell or week slot). */
export function targetFromData(data: { testid?: string; date?: string; hour?: string }): DropTarget | null {
  if (!data.date || !/^\d{4}-\d{2}-\d{2}$/.test(data.date)) return null;
  if (data.testid === 'slot') {
    const hour = Number(data.hour);
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) return null;
    return { kind: 'slot', day: data.date, hour };
  }
  if (data.testid === 'day-cell') return { kind: 'day', day: data.date };
  return null;
}

/**
 * The date and time a post moves to. `time` is the post's current "HH:MM"
 * ("" for an idea). A month cell keeps the time (an idea gets 09:00); a week
 * slot takes its hour and keeps the minutes (an idea gets :00).
 */
export function dropTime(target: DropTarget, time: string): { date: Day; time: string } {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (target.kind === 'day') return { date: target.day, time: m ? time : IDEA_TIME };
  return { date: target.day, time: `${pad(target.hour)}:${m ? m[2] : '00'}` };
}

/** True when the drop would not change anything (same day and time). */
export function isNoop(local: string, to: { date: Day; time: string }): boolean {
  return local === `${to.date}T${to.time}`;
}

// --- wall clocks in a zone (mirrors backend.ResolveLocal) ---------------

const partsCache = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(zone: string): Intl.DateTimeFormat {
  let f = partsCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    partsCache.set(zone, f);
  }
  return f;
}

/** The wall clock of an instant in a zone, as milliseconds "as if UTC" (minute precision). */
function wallAsUTC(ms: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of zoneFormat(zone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year, p.month - 1, p.day, p.hour === 24 ? 0 : p.hour, p.minute);
}

function fromWall(ms: number): { date: Day; time: string } {
  const d = new Date(ms);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  };
}

/**
 * Resolves a wall clock in a zone: the time itself when it exists, or, in a
 * DST gap (02:30 on a spring-forward night in Madrid), the first valid time
 * after it (03:00), with shifted = true. Unknown zones count as UTC.
 */
export function resolveWall(date: Day, time: string, zone: string): { date: Day; time: string; shifted: boolean } {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const want = Date.UTC(y, mo - 1, d, h, mi);
  try {
    zoneFormat(zone);
  } catch {
    return { date, time, shifted: false };
  }
  const H = 3_600_000;
  for (const probe of [-36 * H, 0, 36 * H]) {
    const off = wallAsUTC(want + probe, zone) - (want + probe);
    const t = want - off;
    if (wallAsUTC(t, zone) === want) return { date, time, shifted: false };
  }
  // In a gap: binary search (by minute) for the first instant whose wall clock is past the wanted one.
  let lo = want - 26 * H;
  let hi = want + 26 * H;
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (wallAsUTC(mid, zone) > want) hi = mid;
    else lo = mid;
  }
  return { ...fromWall(wallAsUTC(hi, zone)), shifted: true };
}
