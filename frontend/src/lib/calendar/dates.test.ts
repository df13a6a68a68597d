import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  addDays,
  addMonths,
  diffDays,
  isDay,
  isoWeek,
  monthGrid,
  startOfWeek,
  stepAnchor,
  todayIn,
  viewRange,
  weekDays,
  weekday,
} from './dates';

// Run the date math with a laptop zone that changes clocks, to prove it does not care.
beforeAll(() => {
  vi.stubEnv('TZ', 'Europe/Madrid');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

it('runs in a laptop zone with DST (Madrid): the stub is in effect', () => {
  expect(new Date(2026, 0, 15).getTimezoneOffset()).toBe(-60);
  expect(new Date(2026, 6, 15).getTimezoneOffset()).toBe(-120);
});

describe('monthGrid', () => {
  it('February 2026 starts on a Sunday: Monday-first grid begins on 26 January', () => {
    expect(weekday('2026-02-01')).toBe(0);
    const g = monthGrid(2026, 2);
    expect(g).toHaveLength(42);
    expect(g[0]).toBe('2026-01-26');
    expect(g[6]).toBe('2026-02-01'); // the 1st sits in the last column of row one
    expect(g[41]).toBe('2026-03-08');
  });

  it('a Sunday-first grid starts on the 1st itself', () => {
    const g = monthGrid(2026, 2, 0);
    expect(g[0]).toBe('2026-02-01');
    expect(g[41]).toBe('2026-03-14');
  });

  it('has 42 distinct consecutive days, each row starting on Monday', () => {
    const g = monthGrid(2026, 3); // the European DST change is 29 March 2026
    expect(new Set(g).size).toBe(42);
    for (let i = 1; i < g.length; i++) expect(diffDays(g[i - 1], g[i])).toBe(1);
    for (let r = 0; r < 6; r++) expect(weekday(g[r * 7])).toBe(1);
  });
});

describe('weeks', () => {
  it('the week of the spring-forward Sunday has 7 distinct days, Monday to Sunday', () => {
    expect(weekDays('2026-03-29')).toEqual([
      '2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29',
    ]);
  });

  it('the week of the fall-back Sunday does not repeat a day', () => {
    const w = weekDays('2026-10-26');
    expect(w[0]).toBe('2026-10-26');
    expect(w[6]).toBe('2026-11-01');
    expect(weekDays('2026-10-25')[6]).toBe('2026-10-25');
  });

  it('stepping a week over a DST change lands on the next Monday', () => {
    expect(stepAnchor('week', '2026-03-23', 1)).toBe('2026-03-30');
    expect(stepAnchor('week', '2026-11-02', -1)).toBe('2026-10-26');
    expect(viewRange('week', '2026-03-26')).toMatchObject({ from: '2026-03-23', to: '2026-03-29' });
  });

  it('startOfWeek honours the first weekday', () => {
    expect(startOfWeek('2026-03-29', 1)).toBe('2026-03-23');
    expect(startOfWeek('2026-03-29', 0)).toBe('2026-03-29');
    expect(startOfWeek('2026-03-28', 0)).toBe('2026-03-22');
  });
});

describe('isoWeek', () => {
  it('1 January 2026 (a Thursday) is in week 1 of 2026', () => {
    expect(isoWeek('2026-01-01')).toEqual({ year: 2026, week: 1 });
    expect(isoWeek('2025-12-29')).toEqual({ year: 2026, week: 1 });
  });
  it('late December can belong to next year and early January to last year', () => {
    expect(isoWeek('2024-12-30')).toEqual({ year: 2025, week: 1 });
    expect(isoWeek('2021-01-03')).toEqual({ year: 2020, week: 53 });
    expect(isoWeek('2020-12-31')).toEqual({ year: 2020, week: 53 });
  });
  it('week boundaries fall between Sunday and Monday', () => {
    expect(isoWeek('2026-03-29').week).toBe(13);
    expect(isoWeek('2026-03-30').week).toBe(14);
  });
});

describe('day arithmetic', () => {
  it('adds days across month, year and DST boundaries', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
  it('adds months, clamping the day of month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(stepAnchor('month', '2026-03-29', 1)).toBe('2026-04-01');
  });
  it('validates days', () => {
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('26-2-1')).toBe(false);
  });
  it('knows today in a zone', () => {
    const instant = new Date('2026-03-29T23:30:00Z');
    expect(todayIn('Europe/Madrid', instant)).toBe('2026-03-30');
    expect(todayIn('America/New_York', instant)).toBe('2026-03-29');
  });
});

// The page's first screen carries the month view Go computed (monthGrid in
// app/firstscreen.go, same cases in firstscreen_test.go): the two must agree,
// or the calendar would not use it and fetch again.
describe('the month view Go prepares for the first screen', () => {
  it.each([
    ['2026-11-24', '2026-10-26', '2026-12-06'],
    ['2026-12-06', '2026-11-30', '2027-01-10'],
    ['2026-06-30', '2026-06-01', '2026-07-12'],
    ['2027-02-01', '2027-02-01', '2027-03-14'],
    ['2024-02-29', '2024-01-29', '2024-03-10'],
  ])('%s → %s … %s', (day, from, to) => {
    const r = viewRange('month', day);
    expect([r.from, r.to]).toEqual([from, to]);
  });
});
