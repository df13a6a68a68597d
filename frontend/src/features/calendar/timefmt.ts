// One formatted "HH:MM" per distinct time and locale: a month of 800 chips
// has at most a few dozen distinct times, so each is formatted once.
import { formatTime } from '../../lib/format';

let memoLocale = '';
const memo = new Map<string, string>();

export function timeLabel(time: string, locale: string): string {
  if (locale !== memoLocale) {
    memo.clear();
    memoLocale = locale;
  }
  let s = memo.get(time);
  if (s === undefined) {
    s = formatTime(time, locale);
    memo.set(time, s);
  }
  return s;
}
