import { describe, expect, it } from 'vitest';
import { neighbourRanges, RangeCache } from './prefetch';

describe('RangeCache', () => {
  it('keeps the most recently used entries up to its size', () => {
    const c = new RangeCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the newest
    c.set('c', 3);
    expect(c.has('b')).toBe(false);
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    c.clear();
    expect(c.size).toBe(0);
  });

  it('expires entries after the ttl', () => {
    let now = 0;
    const c = new RangeCache<number>(4, 1000, () => now);
    c.set(RangeCache.key(0, '2026-03-01', '2026-03-31'), 1);
    now = 999;
    expect(c.get('0|2026-03-01|2026-03-31')).toBe(1);
    now = 2500;
    expect(c.get('0|2026-03-01|2026-03-31')).toBeUndefined();
  });
});

describe('neighbourRanges', () => {
  it('month: next and previous grids, and the week of the day', () => {
    expect(neighbourRanges('month', '2026-03-26')).toEqual([
      { from: '2026-03-30', to: '2026-05-10' },
      { from: '2026-01-26', to: '2026-03-08' },
      { from: '2026-03-23', to: '2026-03-29' },
    ]);
  });
  it('week: next and previous weeks, and the month grid', () => {
    expect(neighbourRanges('week', '2026-03-26')).toEqual([
      { from: '2026-03-30', to: '2026-04-05' },
      { from: '2026-03-16', to: '2026-03-22' },
      { from: '2026-02-23', to: '2026-04-05' },
    ]);
  });
});
