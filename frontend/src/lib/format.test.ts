import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatTime, monthTitle, rangeTitle, weekdayShort } from './format';

beforeAll(() => {
  vi.stubEnv('TZ', 'America/Los_Angeles'); // far from UTC: a naive Date would shift the day
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('format', () => {
  it('titles a month in each UI locale', () => {
    expect(monthTitle('2026-03-01', 'en-GB')).toBe('March 2026');
    expect(monthTitle('2026-03-01', 'es-ES')).toBe('Marzo de 2026');
    expect(monthTitle('2026-03-01', 'it-IT')).toBe('Marzo 2026');
  });
  it('names weekdays without shifting the day', () => {
    expect(weekdayShort('2026-03-02', 'en-GB')).toBe('Mon');
  });
  it('formats a wall-clock time as is', () => {
    expect(formatTime('09:05', 'en-GB')).toBe('09:05');
    expect(formatTime('23:59', 'es-ES')).toBe('23:59');
  });
  it('formats a week range', () => {
    expect(rangeTitle('2026-03-23', '2026-03-29', 'en-GB')).toMatch(/^23\s*[–-]\s*29 Mar 2026$/);
  });
});
