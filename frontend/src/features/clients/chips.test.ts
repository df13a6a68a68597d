import { describe, expect, it } from 'vitest';
import { splitEntries } from './chips';

describe('splitEntries', () => {
  it('splits on commas and new lines, trims, drops empties and repeats', () => {
    expect(splitEntries(' barato, #Sol\n\n oferta ,,#sol\r\nBARATO')).toEqual(['barato', '#Sol', 'oferta']);
  });
  it('keeps phrases with spaces whole', () => {
    expect(splitEntries('precio de risa, low cost')).toEqual(['precio de risa', 'low cost']);
  });
  it('gives nothing for blank input', () => {
    expect(splitEntries(' ,\n ')).toEqual([]);
  });
});
