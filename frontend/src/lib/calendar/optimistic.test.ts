import { describe, expect, it } from 'vitest';
import { applyOverrides, settle, type Override } from './optimistic';

type P = { id: number; local: string };
const list: P[] = [
  { id: 1, local: 'a' },
  { id: 2, local: 'b' },
];

describe('optimistic overrides', () => {
  it('returns the same list with no overrides', () => {
    expect(applyOverrides(list, new Map())).toBe(list);
  });

  it('replaces moved posts, hides deleted ones and appends ideas dropped onto the calendar', () => {
    const ov = new Map<number, Override<P>>([
      [1, { post: { id: 1, local: 'moved' }, until: Infinity }],
      [2, { post: null, until: Infinity }],
      [7, { post: { id: 7, local: 'from idea' }, until: Infinity }],
    ]);
    expect(applyOverrides(list, ov)).toEqual([
      { id: 1, local: 'moved' },
      { id: 7, local: 'from idea' },
    ]);
  });

  it('keeps an override until a fetch that started after the backend confirmed it', () => {
    const ov = new Map<number, Override<P>>([
      [1, { post: null, until: 4 }], // confirmed when fetch #4 was the last started
      [2, { post: null, until: Infinity }], // still in flight
    ]);
    expect([...settle(ov, 4).keys()]).toEqual([1, 2]); // fetch #4 may predate the change
    expect([...settle(ov, 5).keys()]).toEqual([2]);
  });
});
