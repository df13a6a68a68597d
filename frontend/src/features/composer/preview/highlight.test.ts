import { describe, expect, it } from 'vitest';
import { displayLink, initials, linksClickable, segments } from './highlight';

const kinds = (text: string) => segments(text).map((s) => [s.kind, s.text]);

describe('segments', () => {
  it('finds links, hashtags and mentions, and nothing else', () => {
    expect(kinds('Hola @ana, mira https://sol.es/pan. #PanDeMasa')).toEqual([
      ['text', 'Hola '],
      ['mention', '@ana'],
      ['text', ', mira '],
      ['link', 'https://sol.es/pan'],
      ['text', '. '],
      ['hashtag', '#PanDeMasa'],
    ]);
  });
  it('joins back to the input', () => {
    const text = 'a #b @c@d.social www.e.it/#f g#h #1 x@y.es 👍🏽\nfin';
    expect(
      segments(text)
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });
  it('skips what Go does not count as a hashtag, and anchors in URLs', () => {
    expect(kinds('Precio #1 y x#y y #año')).toEqual([
      ['text', 'Precio #1 y x#y y '],
      ['hashtag', '#año'],
    ]);
    expect(kinds('https://x.es/#frag')).toEqual([['link', 'https://x.es/#frag']]);
  });
  it('takes remote and domain-style handles whole, not e-mail addresses', () => {
    expect(kinds('@ana@mastodon.social y @sol.bsky.social')).toEqual([
      ['mention', '@ana@mastodon.social'],
      ['text', ' y '],
      ['mention', '@sol.bsky.social'],
    ]);
    expect(kinds('ana@sol.es')).toEqual([['text', 'ana@sol.es']]);
  });
  it('handles an empty text', () => {
    expect(segments('')).toEqual([]);
  });
});

describe('preview helpers', () => {
  it('shortens links where the network does', () => {
    expect(displayLink('https://www.example.com/a/very/long/path/indeed', 'x')).toBe('example.com/a/very/long/p…');
    expect(displayLink('https://example.com/a', 'linkedin')).toBe('https://example.com/a');
  });
  it('knows where links are not clickable', () => {
    expect(linksClickable('instagram')).toBe(false);
    expect(linksClickable('x')).toBe(true);
  });
  it('makes initials', () => {
    expect(initials('Panadería Sol')).toBe('PS');
    expect(initials('@solbakery')).toBe('SO');
    expect(initials('')).toBe('?');
  });
});
