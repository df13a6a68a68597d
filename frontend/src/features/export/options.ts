// The export dialog's options: defaults and the checks made before asking Go
// (which checks them again). Days are "YYYY-MM-DD".
import { addDays, addMonths, firstOfMonth, isDay, type Day } from '../../lib/calendar/dates';
import type { ExportOptions } from '../../lib/api';

export const DEFAULT_DURATION = 15; // minutes
export const MAX_DURATION = 24 * 60;

export interface ExportForm {
  from: Day;
  to: Day;
  includeDrafts: boolean;
  duration: number | string; // minutes, as the number input gives it
}

/** This month and the next two: from the 1st of this month to the day before the 1st three months later. */
export function defaultExportForm(today: Day): ExportForm {
  const from = firstOfMonth(today);
  return { from, to: addDays(addMonths(from, 3), -1), includeDrafts: false, duration: DEFAULT_DURATION };
}

/** A problem with the form, shaped like a Go error so it is shown the same way. */
export interface FormProblem {
  key: string; // under err.
  field: 'from' | 'to' | 'duration';
  params?: Record<string, string>;
}

export function checkExportForm(f: ExportForm): FormProblem | null {
  if (f.from && !isDay(f.from)) return { key: 'ics.date_invalid', field: 'from', params: { date: f.from } };
  if (f.to && !isDay(f.to)) return { key: 'ics.date_invalid', field: 'to', params: { date: f.to } };
  if (f.from && f.to && f.from > f.to) return { key: 'ics.range_inverted', field: 'from', params: { from: f.from, to: f.to } };
  const d = Number(f.duration);
  if (!Number.isInteger(d) || d < 1 || d > MAX_DURATION) return { key: 'ics.duration_invalid', field: 'duration' };
  return null;
}

export function toExportOptions(f: ExportForm): ExportOptions {
  return { from: f.from, to: f.to, includeDrafts: f.includeDrafts, durationMinutes: Number(f.duration) };
}

/** The file name of a path, whatever the OS separator. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
