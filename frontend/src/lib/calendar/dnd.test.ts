import { describe, expect, it } from 'vitest';
import { dropTime, isNoop, resolveWall, targetFromData } from './dnd';

describe('drop targets', () => {
  it('reads month cells and week slots from data attributes', () => {
    expect(targetFromData({ testid: 'day-cell', date: '2026-03-29' })).toEqual({ kind: 'day', day: '2026-03-29' });
    expect(targetFromData({ testid: 'slot', date: '2026-03-29', hour: '07' })).toEqual({ kind: 'slot', day: '2026-03-29', hour: 7 });
    expect(targetFromData({ testid: 'slot', date: '2026-03-29', hour: '24' })).toBeNull();
    expect(targetFromData({ testid: 'day-cell', date: 'nope' })).toBeNull();
    expect(targetFromData({ testid: 'other', date: '2026-03-29' })).toBeNull();
  });

  it('keeps the time on a month cell and the minutes on a week slot', () => {
    expect(dropTime({ kind: 'day', day: '2026-04-02' }, '18:45')).toEqual({ date: '2026-04-02', time: '18:45' });
    expect(dropTime({ kind: 'slot', day: '2026-04-02', hour: 9 }, '18:45')).toEqual({ date: '2026-04-02', time: '09:45' });
  });

  it('gives an idea 09:00 on a month cell and the full hour on a slot', () => {
    expect(dropTime({ kind: 'day', day: '2026-04-02' }, '')).toEqual({ date: '2026-04-02', time: '09:00' });
    expect(dropTime({ kind: 'slot', day: '2026-04-02', hour: 14 }, '')).toEqual({ date: '2026-04-02', time: '14:00' });
  });

  it('knows a drop on the same place changes nothing', () => {
    expect(isNoop('2026-04-02T18:45', { date: '2026-04-02', time: '18:45' })).toBe(true);
    expect(isNoop('2026-04-02T18:45', { date: '2026-04-03', time: '18:45' })).toBe(false);
  });
});

describe('resolveWall (DST, like backend.ResolveLocal)', () => {
  it('keeps a time that exists', () => {
    expect(resolveWall('2026-03-30', '02:30', 'Europe/Madrid')).toEqual({ date: '2026-03-30', time: '02:30', shifted: false });
    // The autumn-back night repeats 02:30: it exists (the first one).
    expect(resolveWall('2026-10-25', '02:30', 'Europe/Madrid')).toEqual({ date: '2026-10-25', time: '02:30', shifted: false });
  });

  it('moves a time in the spring-forward gap to the first valid time', () => {
    // Madrid 2026-03-29: 02:00 → 03:00.
    expect(resolveWall('2026-03-29', '02:30', 'Europe/Madrid')).toEqual({ date: '2026-03-29', time: '03:00', shifted: true });
    expect(resolveWall('2026-03-29', '02:00', 'Europe/Rome')).toEqual({ date: '2026-03-29', time: '03:00', shifted: true });
    // New York 2026-03-08: 02:00 → 03:00.
    expect(resolveWall('2026-03-08', '02:59', 'America/New_York')).toEqual({ date: '2026-03-08', time: '03:00', shifted: true });
  });

  it('a dragged post keeps its minutes on a DST day; the gap hour shifts', () => {
    const to = dropTime({ kind: 'slot', day: '2026-03-29', hour: 2 }, '10:15');
    expect(to).toEqual({ date: '2026-03-29', time: '02:15' });
    expect(resolveWall(to.date, to.time, 'Europe/Madrid')).toMatchObject({ time: '03:00', shifted: true });
    const later = dropTime({ kind: 'slot', day: '2026-03-29', hour: 4 }, '10:15');
    expect(resolveWall(later.date, later.time, 'Europe/Madrid')).toEqual({ date: '2026-03-29', time: '04:15', shifted: false });
  });

  it('treats an unknown zone as plain wall clock', () => {
    expect(resolveWall('2026-03-29', '02:30', 'Not/AZone')).toEqual({ date: '2026-03-29', time: '02:30', shifted: false });
  });
});
