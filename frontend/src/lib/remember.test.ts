import { describe, expect, it } from 'vitest';
import { flagsRead, readFlag } from './remember';

describe('remembered choices', () => {
  it('lists the ones read so far with their stored values, for the first frame', () => {
    readFlag('pauta.testOpen', true); // no storage here: the fallback
    readFlag('pauta.testOther', false);
    const stored: Record<string, string> = { 'pauta.testOpen': '0' };
    const got = flagsRead({ getItem: (k: string) => stored[k] ?? null });
    expect(got).toMatchObject({ 'pauta.testOpen': '0', 'pauta.testOther': '' });
    expect(Object.keys(got!)).not.toContain('pauta.neverRead');
  });

  it('gives null when storage is closed (no frame is kept then)', () => {
    readFlag('pauta.testOpen', true);
    expect(
      flagsRead({
        getItem: () => {
          throw new Error('SecurityError');
        },
      }),
    ).toBeNull();
    expect(flagsRead(undefined)).toBeNull();
  });
});
