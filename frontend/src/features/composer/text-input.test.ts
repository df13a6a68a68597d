import { describe, expect, it } from 'vitest';
import { addLabel, insertAt, sanitizeText, typingLabel } from './text-input';

describe('sanitizeText', () => {
  it('keeps clean text as it is', () => {
    expect(sanitizeText('hola 👍🏽 café')).toEqual({ text: 'hola 👍🏽 café', removed: 0 });
  });
  it('drops NUL and lone surrogates, keeping pairs', () => {
    expect(sanitizeText('a\u0000b')).toEqual({ text: 'ab', removed: 1 });
    expect(sanitizeText('x\ud800y\udc00z😀')).toEqual({ text: 'xyz😀', removed: 2 });
    expect(sanitizeText('end\ud83d')).toEqual({ text: 'end', removed: 1 });
  });
});

describe('insertAt', () => {
  it('inserts at the cursor with spaces where needed', () => {
    expect(insertAt('Hola mundo', 4, 4, '#a #b')).toEqual({ value: 'Hola #a #b mundo', caret: 10 });
    expect(insertAt('Hola ', 5, 5, '#a')).toEqual({ value: 'Hola #a', caret: 7 });
    expect(insertAt('', 0, 0, ' #a ')).toEqual({ value: '#a', caret: 2 });
  });
  it('replaces a selection', () => {
    expect(insertAt('Hola XX mundo', 5, 7, '#a')).toEqual({ value: 'Hola #a mundo', caret: 7 });
  });
  it('clamps positions outside the text', () => {
    expect(insertAt('ab', 10, 12, '#x').value).toBe('ab #x');
  });
});

describe('labels', () => {
  it('adds a suggestion, completing the typed fragment', () => {
    expect(addLabel('', 'promo')).toBe('promo');
    expect(addLabel('promo, ver', 'verano')).toBe('promo, verano');
    expect(addLabel('promo, ', 'verano')).toBe('promo, verano');
    expect(addLabel('Promo', 'promo')).toBe('Promo');
  });
  it('finds the fragment being typed', () => {
    expect(typingLabel('a, be')).toBe('be');
    expect(typingLabel('a,')).toBe('');
  });
});
