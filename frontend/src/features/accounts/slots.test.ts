import { describe, expect, it } from 'vitest';
import { addSlots, byWeekday, describePreset, expandPreset, normalizeSlots, parseTime, PRESETS, removeSlot, sameSlots, weekdayName } from './slots';

describe('parseTime', () => {
  it('accepts the ways people type a time', () => {
    expect(parseTime('9:30')).toBe('09:30');
    expect(parseTime('09:30')).toBe('09:30');
    expect(parseTime(' 9.30 ')).toBe('09:30');
    expect(parseTime('9h30')).toBe('09:30');
    expect(parseTime('930')).toBe('09:30');
    expect(parseTime('1900')).toBe('19:00');
    expect(parseTime('7')).toBe('07:00');
    expect(parseTime('21h')).toBe('21:00');
    expect(parseTime('00:00')).toBe('00:00');
    expect(parseTime('23:59')).toBe('23:59');
  });
  it('refuses what is not a time of day', () => {
    for (const bad of ['', '24:00', '12:60', 'noon', '1:5', '12345', '-1:00', '9:30pm']) expect(parseTime(bad), bad).toBeNull();
  });
});

describe('slot lists', () => {
  it('normalize: sort, dedupe, pad, drop invalid', () => {
    expect(
      normalizeSlots([
        { weekday: 2, time: '9:00' },
        { weekday: 0, time: '19:00' },
        { weekday: 0, time: '09:30' },
        { weekday: 2, time: '09:00' },
        { weekday: 7, time: '10:00' },
        { weekday: 1, time: 'x' },
      ]),
    ).toEqual([
      { weekday: 0, time: '09:30' },
      { weekday: 0, time: '19:00' },
      { weekday: 2, time: '09:00' },
    ]);
  });
  it('add on several weekdays, remove one, group by weekday', () => {
    let s = addSlots([], [0, 2], '13:00');
    s = addSlots(s, [0], '09:30');
    expect(s).toEqual([
      { weekday: 0, time: '09:30' },
      { weekday: 0, time: '13:00' },
      { weekday: 2, time: '13:00' },
    ]);
    s = removeSlot(s, { weekday: 0, time: '13:00' });
    expect(byWeekday(s)).toEqual([['09:30'], [], ['13:00'], [], [], [], []]);
  });
  it('compares regardless of order and spelling', () => {
    expect(sameSlots([{ weekday: 1, time: '9:00' }, { weekday: 0, time: '10:00' }], [{ weekday: 0, time: '10:00' }, { weekday: 1, time: '09:00' }])).toBe(true);
    expect(sameSlots([{ weekday: 1, time: '09:00' }], [{ weekday: 1, time: '09:01' }])).toBe(false);
    expect(sameSlots([], [{ weekday: 1, time: '09:00' }])).toBe(false);
  });
});

describe('presets', () => {
  it('Mon–Fri 09:30, 13:00, 19:00 expands to 15 slots', () => {
    const s = expandPreset(PRESETS[0]);
    expect(s).toHaveLength(15);
    expect(s[0]).toEqual({ weekday: 0, time: '09:30' });
    expect(s[14]).toEqual({ weekday: 4, time: '19:00' });
    expect(s.some((x) => x.weekday > 4)).toBe(false);
  });
  it('are described in the UI language', () => {
    expect(describePreset(PRESETS[0], (d) => weekdayName(d, 'en-GB'))).toBe('Mon–Fri 09:30, 13:00, 19:00');
    expect(describePreset({ id: 'x', weekdays: [0, 2], times: ['10:00'] }, (d) => weekdayName(d, 'en-GB'))).toBe('Mon, Wed 10:00');
    expect(weekdayName(0, 'es-ES', 'long')).toBe('lunes');
    expect(weekdayName(6, 'it-IT', 'long')).toBe('domenica');
  });
});
