import { describe, expect, it } from 'vitest';
import { conventionFor, formatDate, formatTime, parseDate, parseTime, stepDate, stepTime, todayIso } from './datetime';

const es = conventionFor('es', 'en-US'); // the UI language wins over an English system
const it_ = conventionFor('it', 'it-IT');
const gb = conventionFor('en', 'en-GB');
const us = conventionFor('en', 'en-US');

describe('the convention of each language', () => {
  it('es, it and en-GB write the day first and 24 h; en-US the month first and 12 h', () => {
    expect(es).toEqual({ order: 'dmy', hour12: false });
    expect(it_).toEqual({ order: 'dmy', hour12: false });
    expect(gb).toEqual({ order: 'dmy', hour12: false });
    expect(us).toEqual({ order: 'mdy', hour12: true });
  });
  it('English on a non-English or unknown system is en-GB', () => {
    expect(conventionFor('en', 'es-ES')).toEqual(gb);
    expect(conventionFor('en', '')).toEqual(gb);
    expect(conventionFor('en', undefined)).toEqual(gb);
  });
});

describe('formatDate', () => {
  it('shows an ISO date in the convention', () => {
    expect(formatDate('2026-03-07', es)).toBe('07/03/2026');
    expect(formatDate('2026-03-07', it_)).toBe('07/03/2026');
    expect(formatDate('2026-03-07', gb)).toBe('07/03/2026');
    expect(formatDate('2026-03-07', us)).toBe('03/07/2026');
    expect(formatDate('2026-03-07', { order: 'ymd', hour12: false })).toBe('2026-03-07');
  });
  it('shows nothing for an empty or impossible value', () => {
    expect(formatDate('', es)).toBe('');
    expect(formatDate('2026-02-31', es)).toBe('');
    expect(formatDate('7/3/2026', es)).toBe('');
  });
});

describe('parseDate', () => {
  const ok = (text: string, c = es) => {
    const r = parseDate(text, c);
    return r.ok ? r.value : r.problem;
  };
  it('reads dd/mm/yyyy, d/m/yy and other separators, day first in es, it and en-GB', () => {
    for (const c of [es, it_, gb]) {
      expect(ok('07/03/2026', c)).toBe('2026-03-07');
      expect(ok('7/3/26', c)).toBe('2026-03-07');
      expect(ok('7.3.2026', c)).toBe('2026-03-07');
      expect(ok(' 7-3-2026 ', c)).toBe('2026-03-07');
      expect(ok('7 / 3 / 2026', c)).toBe('2026-03-07');
    }
  });
  it('reads the month first in en-US', () => {
    expect(ok('03/07/2026', us)).toBe('2026-03-07');
    expect(ok('3/7/26', us)).toBe('2026-03-07');
    expect(ok('12/31/2026', us)).toBe('2026-12-31');
    expect(ok('31/12/2026', us)).toEqual({ kind: 'format' });
  });
  it('reads ISO yyyy-mm-dd in every convention', () => {
    for (const c of [es, it_, gb, us]) expect(ok('2026-03-07', c)).toBe('2026-03-07');
    expect(ok('2026/3/7', us)).toBe('2026-03-07');
  });
  it('takes two-digit years as 20yy', () => {
    expect(ok('1/1/00')).toBe('2000-01-01');
    expect(ok('31/12/99')).toBe('2099-12-31');
  });
  it('names a day its month lacks, leap years included', () => {
    expect(ok('31/02/2026')).toEqual({ kind: 'noSuchDay', year: 2026, month: 2, days: 28 });
    expect(ok('29/02/2026')).toEqual({ kind: 'noSuchDay', year: 2026, month: 2, days: 28 });
    expect(ok('29/02/2028')).toBe('2028-02-29');
    expect(ok('31/04/26')).toEqual({ kind: 'noSuchDay', year: 2026, month: 4, days: 30 });
    expect(ok('02/31/2026', us)).toEqual({ kind: 'noSuchDay', year: 2026, month: 2, days: 28 });
  });
  it('refuses what is not a date', () => {
    for (const bad of ['tomorrow', '7/3', '7/3/2', '7/3/202', '7/13/2026', '0/3/2026', '7/0/2026', '07/03/2026/1', '007/03/2026', '7/3/0999', '7a/3/2026'])
      expect(ok(bad), bad).toEqual({ kind: 'format' });
  });
  it('an empty box is an empty value, not an error', () => {
    expect(ok('')).toBe('');
    expect(ok('   ')).toBe('');
  });
  it('round-trips what it shows', () => {
    for (const c of [es, it_, gb, us]) for (const d of ['2026-01-01', '2026-12-31', '2028-02-29']) expect(ok(formatDate(d, c), c)).toBe(d);
  });
});

describe('times', () => {
  const ok = (text: string) => {
    const r = parseTime(text);
    return r.ok ? r.value : 'bad';
  };
  it('shows 24 h in es, it and en-GB, 12 h in en-US', () => {
    for (const c of [es, it_, gb]) expect(formatTime('18:05', c)).toBe('18:05');
    expect(formatTime('18:05', us)).toBe('6:05 PM');
    expect(formatTime('00:30', us)).toBe('12:30 AM');
    expect(formatTime('12:00', us)).toBe('12:00 PM');
    expect(formatTime('24:00', es)).toBe('');
  });
  it('reads H, H:MM, H.MM, HHMM and am/pm', () => {
    expect(ok('9')).toBe('09:00');
    expect(ok('9:5')).toBe('bad');
    expect(ok('9:05')).toBe('09:05');
    expect(ok('18.30')).toBe('18:30');
    expect(ok('1830')).toBe('18:30');
    expect(ok('6:05 PM')).toBe('18:05');
    expect(ok('6:05pm')).toBe('18:05');
    expect(ok('12 a.m.')).toBe('00:00');
    expect(ok('12:15 p')).toBe('12:15');
    expect(ok('')).toBe('');
  });
  it('refuses what is not a time', () => {
    for (const bad of ['24:00', '7:60', '13 pm', '0 am', 'noon', '18:30:00']) expect(ok(bad), bad).toBe('bad');
  });
  it('round-trips what it shows', () => {
    for (const c of [es, us]) for (const v of ['00:00', '09:41', '12:00', '23:59']) expect(ok(formatTime(v, c))).toBe(v);
  });
});

describe('stepping', () => {
  it('steps days across months and years, months clamped to the last day', () => {
    expect(stepDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(stepDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(stepDate('2026-01-31', 0, 1)).toBe('2026-02-28');
    expect(stepDate('2026-01-15', 0, -1)).toBe('2025-12-15');
    expect(stepDate('', 0)).toBe(todayIso());
  });
  it('steps times around the clock', () => {
    expect(stepTime('23:30', 60)).toBe('00:30');
    expect(stepTime('00:02', -5)).toBe('23:57');
    expect(stepTime('', 60, new Date(2026, 0, 1, 9, 41))).toBe('10:00');
  });
});
