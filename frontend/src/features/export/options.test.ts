import { describe, expect, it } from 'vitest';
import { baseName, checkExportForm, defaultExportForm, toExportOptions } from './options';

describe('export defaults', () => {
  it('cover this month and the next two, drafts off, 15 minutes', () => {
    expect(defaultExportForm('2026-03-18')).toEqual({ from: '2026-03-01', to: '2026-05-31', includeDrafts: false, duration: 15 });
    expect(defaultExportForm('2026-11-30')).toEqual({ from: '2026-11-01', to: '2027-01-31', includeDrafts: false, duration: 15 });
    expect(defaultExportForm('2027-12-01').to).toBe('2028-02-29');
  });
  it('are accepted and map to the Go options', () => {
    const f = defaultExportForm('2026-03-18');
    expect(checkExportForm(f)).toBeNull();
    expect(toExportOptions({ ...f, duration: '30', includeDrafts: true })).toEqual({ from: '2026-03-01', to: '2026-05-31', includeDrafts: true, durationMinutes: 30 });
  });
});

describe('checkExportForm', () => {
  const ok = defaultExportForm('2026-03-18');
  it('refuses a start after the end, on the start field', () => {
    expect(checkExportForm({ ...ok, from: '2026-06-01', to: '2026-05-31' })).toEqual({
      key: 'ics.range_inverted',
      field: 'from',
      params: { from: '2026-06-01', to: '2026-05-31' },
    });
  });
  it('accepts one-day ranges and open ends', () => {
    expect(checkExportForm({ ...ok, from: '2026-05-31', to: '2026-05-31' })).toBeNull();
    expect(checkExportForm({ ...ok, from: '', to: '' })).toBeNull();
  });
  it('refuses impossible dates and durations', () => {
    expect(checkExportForm({ ...ok, to: '2026-02-30' })?.field).toBe('to');
    for (const d of [0, -5, 1441, 2.5, '', 'abc']) expect(checkExportForm({ ...ok, duration: d })?.key, String(d)).toBe('ics.duration_invalid');
    expect(checkExportForm({ ...ok, duration: 1440 })).toBeNull();
  });
});

describe('baseName', () => {
  it('handles both separators', () => {
    expect(baseName('/home/ana/Calendars/sol.ics')).toBe('sol.ics');
    expect(baseName('C:\\Users\\ana\\sol.ics')).toBe('sol.ics');
  });
});
