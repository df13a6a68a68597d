import { describe, expect, it } from 'vitest';
import { containsWord, guidelineWarnings, postGuidelineText } from './guidelines';

describe('guideline warnings (same rules as Go’s GuidelineWarnings)', () => {
  const client = { bannedWords: ['barato', 'low cost', 'c++'], requiredTags: ['#PanaderíaSol', '@sol'] };

  it('warns about a banned word as a whole word, case-insensitively', () => {
    expect(guidelineWarnings(client, 'Pan BARATO hoy #panaderíasol @sol')).toEqual([{ key: 'guidelines.banned', params: { word: 'barato' } }]);
    expect(guidelineWarnings(client, 'Pan abaratado #panaderíasol @sol')).toEqual([]);
    expect(guidelineWarnings(client, 'Un viaje Low Cost. #PanaderíaSol @sol')).toEqual([{ key: 'guidelines.banned', params: { word: 'low cost' } }]);
  });

  it('says which required tags are missing', () => {
    expect(guidelineWarnings(client, 'Hola #Panadería @sol')).toEqual([{ key: 'guidelines.missing', params: { tag: '#PanaderíaSol' } }]);
    expect(guidelineWarnings(client, 'Hola #PanaderíaSol @soledad')).toEqual([]); // '@sol' starts with a non-word rune: substring, as in Go
    expect(guidelineWarnings(client, 'Hola')).toEqual([
      { key: 'guidelines.missing', params: { tag: '#PanaderíaSol' } },
      { key: 'guidelines.missing', params: { tag: '@sol' } },
    ]);
  });

  it('treats regex characters literally and falls back to substring for non-word edges', () => {
    expect(containsWord('aprende c++ ya', 'c++')).toBe(true);
    expect(containsWord('abc++', 'c++')).toBe(true); // non-word end: substring, like Go
    expect(containsWord('a.b', 'a.b')).toBe(true);
    expect(containsWord('axb', 'a.b')).toBe(false);
    expect(containsWord('anything', '')).toBe(false);
  });

  it('checks the first comment with the text, as Go does on save', () => {
    expect(guidelineWarnings(client, postGuidelineText('Hola', '#PanaderíaSol @sol'))).toEqual([]);
  });

  it('tolerates a client without rules', () => {
    expect(guidelineWarnings({ bannedWords: null, requiredTags: null }, 'x')).toEqual([]);
  });
});
