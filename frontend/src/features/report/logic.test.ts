import { describe, expect, it } from 'vitest';
import { bars, formatChange, formatNumber, linePath, monthName, periodQuery, weekdayName } from './logic';

describe('report logic', () => {
  it('picks this and last month in the client zone', () => {
    // 2026-12-01 00:30 in Madrid is still 30 November 23:30 UTC.
    const now = new Date(Date.UTC(2026, 10, 30, 23, 30));
    expect(periodQuery(1, 'this', 'Europe/Madrid', '', '', now)).toEqual({ clientId: 1, month: '2026-12', from: '', to: '' });
    expect(periodQuery(1, 'this', 'America/New_York', '', '', now).month).toBe('2026-11');
    expect(periodQuery(1, 'last', 'Europe/Madrid', '', '', now).month).toBe('2026-11');
    expect(periodQuery(1, 'custom', 'Europe/Madrid', '2026-10-01', '2026-10-15', now)).toEqual({ clientId: 1, month: '', from: '2026-10-01', to: '2026-10-15' });
  });
  it('formats numbers and changes per locale', () => {
    expect(formatNumber(1234.56, 'es-ES', 1)).toBe('1234,6');
    expect(formatNumber(12345, 'en-GB')).toBe('12,345');
    expect(formatChange(12.345, 'en-GB')).toBe('+12.3');
    expect(formatChange(-3, 'it-IT')).toBe('-3');
    expect(weekdayName(2, 'es-ES')).toBe('martes');
    expect(monthName('2026-10', 'it-IT')).toBe('ottobre 2026');
  });
  it('scales bars and lines into the box', () => {
    const b = bars([0, 5, 10], 300, 100);
    expect(b[2]).toMatchObject({ y: 0, h: 100 });
    expect(b[1].h).toBe(50);
    expect(b[0].h).toBe(0);
    expect(linePath([{ i: 0, v: 100 }, { i: 2, v: 150 }], 3, 200, 50, 100, 150)).toBe('M0.0,50.0 L200.0,0.0');
    expect(linePath([], 3, 200, 50, 0, 1)).toBe('');
  });
});
