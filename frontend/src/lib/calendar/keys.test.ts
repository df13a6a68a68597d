import { describe, expect, it } from 'vitest';
import { navigate, stepInList } from './keys';

const today = '2026-03-26';

describe('keyboard navigation', () => {
  it('month: arrows move a day or a week, across month ends', () => {
    const at = { day: '2026-03-31', hour: 9 };
    expect(navigate('month', 'ArrowRight', at, today)).toEqual({ day: '2026-04-01', hour: 9 });
    expect(navigate('month', 'ArrowLeft', at, today)?.day).toBe('2026-03-30');
    expect(navigate('month', 'ArrowDown', at, today)?.day).toBe('2026-04-07');
    expect(navigate('month', 'ArrowUp', at, today)?.day).toBe('2026-03-24');
  });

  it('week: up/down change the hour within 0–23, left/right the day', () => {
    expect(navigate('week', 'ArrowUp', { day: today, hour: 9 }, today)).toEqual({ day: today, hour: 8 });
    expect(navigate('week', 'ArrowUp', { day: today, hour: 0 }, today)).toEqual({ day: today, hour: 0 });
    expect(navigate('week', 'ArrowDown', { day: today, hour: 23 }, today)).toEqual({ day: today, hour: 23 });
    expect(navigate('week', 'ArrowRight', { day: '2026-03-29', hour: 14 }, today)).toEqual({ day: '2026-03-30', hour: 14 });
  });

  it('PgUp/PgDn: a month (clamping the day) or a week; Home: today', () => {
    expect(navigate('month', 'PageDown', { day: '2026-01-31', hour: 9 }, today)?.day).toBe('2026-02-28');
    expect(navigate('month', 'PageUp', { day: '2026-03-31', hour: 9 }, today)?.day).toBe('2026-02-28');
    expect(navigate('week', 'PageDown', { day: '2026-03-26', hour: 9 }, today)?.day).toBe('2026-04-02');
    expect(navigate('week', 'PageUp', { day: '2026-03-26', hour: 9 }, today)?.day).toBe('2026-03-19');
    expect(navigate('month', 'Home', { day: '2027-01-01', hour: 5 }, today)).toEqual({ day: today, hour: 5 });
  });

  it('ignores other keys', () => {
    expect(navigate('month', 'a', { day: today, hour: 9 }, today)).toBeNull();
    expect(navigate('week', 'Enter', { day: today, hour: 9 }, today)).toBeNull();
  });

  it('list: up/down step through the rows, clamped', () => {
    const ids = [5, 3, 9];
    expect(stepInList(ids, 3, 1)).toBe(9);
    expect(stepInList(ids, 9, 1)).toBe(9);
    expect(stepInList(ids, 5, -1)).toBe(5);
    expect(stepInList(ids, 0, 1)).toBe(5);
    expect(stepInList(ids, 0, -1)).toBe(9);
    expect(stepInList([], 0, 1)).toBeNull();
  });
});
