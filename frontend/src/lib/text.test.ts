import { describe, expect, it } from 'vitest';
import { countGraphemes, parseLabels } from './text';

describe('countGraphemes', () => {
  it('counts what people see as characters', () => {
    expect(countGraphemes('')).toBe(0);
    expect(countGraphemes('pan')).toBe(3);
    expect(countGraphemes('👩‍👩‍👧')).toBe(1); // one family emoji, 5 code points
    expect(countGraphemes('e\u0301')).toBe(1); // e + combining accent
    expect(countGraphemes('🇪🇸🇮🇹')).toBe(2);
  });
});

describe('parseLabels', () => {
  it('splits on commas, trims, drops empties and case duplicates', () => {
    expect(parseLabels(' producto, Receta ,, receta,local ')).toEqual(['producto', 'Receta', 'local']);
    expect(parseLabels('')).toEqual([]);
  });
});
