import { describe, expect, it, vi } from 'vitest';
import { Primed } from './primed';

describe('Primed', () => {
  it('starts the request at once and hands it over once, by key', async () => {
    const p = new Primed<number[]>();
    const fetch = vi.fn(() => Promise.resolve([1, 2]));
    p.prime('0|2026-11-30|2027-01-10', fetch);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(p.take('0|2026-12-01|2026-12-07')).toBeUndefined();
    await expect(p.take('0|2026-11-30|2027-01-10')).resolves.toEqual([1, 2]);
    expect(p.take('0|2026-11-30|2027-01-10')).toBeUndefined();
  });

  it('keeps a failure for the taker, without an unhandled rejection', async () => {
    const p = new Primed<number[]>();
    p.prime('k', () => Promise.reject(new Error('offline')));
    await new Promise((r) => setTimeout(r, 0));
    await expect(p.take('k')).rejects.toThrow('offline');
  });

  it('clear drops what was primed', () => {
    const p = new Primed<number[]>();
    p.prime('k', () => Promise.resolve([]));
    p.clear();
    expect(p.take('k')).toBeUndefined();
  });
});
