// Pure helpers of the CSV import dialog (unit-tested without Svelte).
import type { UiLanguage } from '../../lib/i18n/core';

export type DateOrder = 'day-first' | 'month-first';

/** Spanish and Italian write 05/03 for 5 March; English defaults to month first. */
export function defaultOrder(lang: UiLanguage): DateOrder {
  return lang === 'es' || lang === 'it' ? 'day-first' : 'month-first';
}

/** A dropped file the import takes: the first .csv, .tsv or .txt. */
export function csvPath(paths: string[]): string {
  return paths.find((p) => /\.(csv|tsv|txt)$/i.test(p)) ?? '';
}

export interface IssueLike {
  column: string;
  key: string;
  params: Record<string, string>;
  message: string;
}

/**
 * The catalogue key of a row's issue: csv.* and import.* keys are errors of
 * their own (err.csv…), brand rules have their preview wording, anything
 * else (media decode, post rules) is an ordinary error key.
 */
export function issueKey(key: string): string {
  if (key === 'guidelines.banned') return 'csvImport.brandBanned';
  if (key === 'guidelines.missing') return 'csvImport.brandMissing';
  return `err.${key}`;
}

/** "Column: message", or the message alone for a whole-row issue. */
export function issueText(i: IssueLike, tr: (key: string, params: Record<string, string>) => string, has: (key: string) => boolean): string {
  const k = issueKey(i.key);
  const msg = has(k) ? tr(k, i.params ?? {}) : i.message;
  return i.column ? `${i.column}: ${msg}` : msg;
}

/** "2026-03-25T09:30" → "2026-03-25 09:30"; "" stays "". */
export function localText(local: string): string {
  return local.replace('T', ' ');
}

/** The first line of a text, cut to n characters. */
export function shortText(text: string, n = 80): string {
  const first = text.split('\n')[0];
  const chars = [...first];
  return chars.length > n || text.includes('\n') ? chars.slice(0, n).join('') + '…' : first;
}

/** The first and last day of the month of day ("YYYY-MM-DD"). */
export function monthOf(day: string): { from: string; to: string } {
  const [y, m] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, '0')}` };
}
