import { describe, expect, it } from 'vitest';
import { graphemeCount, hashtags, level, measure, overReason, ruleFor, urls, utf8Length, weightedLength } from './limits';

// The vectors Go's textlimit tests use too: both sides must count alike.
interface Vector {
  network: string;
  text: string;
  repeat: number;
  used: number;
  over: boolean;
  hashtags: number;
}
// node:fs through a variable: the app's tsconfig has no Node types (as in i18n.test.ts).
const fsModule: string = 'node:fs';
const fs = (await import(/* @vite-ignore */ fsModule)) as { readFileSync(path: URL, enc: 'utf8'): string };
const vectors: Vector[] = JSON.parse(fs.readFileSync(new URL('../../../backend/textlimit/testdata/vectors.json', import.meta.url), 'utf8'));

describe('shared vectors (backend/textlimit/testdata/vectors.json)', () => {
  it('has the vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(30);
  });
  for (const v of vectors) {
    it(`${v.network} ${JSON.stringify(v.text.slice(0, 40))}×${v.repeat}`, () => {
      const c = measure(v.network, v.text.repeat(v.repeat));
      expect({ used: c.used, over: c.over, hashtags: c.hashtags }).toEqual({ used: v.used, over: v.over, hashtags: v.hashtags });
    });
  }
});

describe('limits', () => {
  it('has a limit for every network', () => {
    for (const n of ['instagram', 'facebook', 'x', 'linkedin', 'mastodon', 'bluesky', 'threads', 'tiktok', 'pinterest', 'youtube', 'google_business']) {
      expect(ruleFor(n).limit).toBeGreaterThan(0);
    }
  });
  it('uses a Mastodon instance’s own limits', () => {
    const c = measure('mastodon', 'a'.repeat(600), { mastodonMaxChars: 1000 });
    expect(c.over).toBe(false);
    expect(c.rule.limit).toBe(1000);
    expect(measure('mastodon', 'https://example.com/x', { mastodonUrlChars: 10 }).used).toBe(10);
    // Other networks ignore them.
    expect(measure('bluesky', 'a', { mastodonMaxChars: 1000 }).rule.limit).toBe(300);
  });
  it('finds URLs and hashtags like Go', () => {
    expect(urls('see https://a.es/x, and www.b.it.')).toEqual(['https://a.es/x', 'www.b.it']);
    expect(hashtags('#PanaderíaSol, #año2026 #1 a#b https://x.es/#frag')).toEqual(['PanaderíaSol', 'año2026']);
  });
  it('counts bytes like UTF-8', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
    expect(utf8Length('\ud800')).toBe(3); // a lone surrogate arrives in Go as U+FFFD
  });
  it('counts graphemes with and without the ASCII shortcut', () => {
    expect(graphemeCount('a\r\nb')).toBe(3);
    expect(graphemeCount('e\u0301')).toBe(1);
    expect(graphemeCount('👩🏽‍💻 ok')).toBe(4);
  });
  it('weighs X text: NFD input is normalised, CJK 2, URLs 23', () => {
    expect(weightedLength('cafe\u0301')).toBe(4);
    expect(weightedLength('日本 http://x.co/abc')).toBe(4 + 1 + 23);
    expect(weightedLength('1️⃣')).toBe(2);
  });
  it('Bluesky has a byte cap too', () => {
    expect(measure('bluesky', '👨‍👩‍👧‍👦'.repeat(120)).over).toBe(false); // 25 bytes each: exactly 3,000
    const heavy = measure('bluesky', '👨‍👩‍👧‍👦'.repeat(121));
    expect(heavy.used).toBe(121);
    expect(heavy.over).toBe(true);
    expect(overReason(heavy)).toBe('bytes');
  });
  it('says how close a count is', () => {
    expect(level(measure('x', 'a'.repeat(100)))).toBe('ok');
    expect(level(measure('x', 'a'.repeat(265)))).toBe('near');
    expect(level(measure('x', 'a'.repeat(281)))).toBe('over');
    expect(level(measure('instagram', '#a #b #c #d #e'))).toBe('near');
    expect(overReason(measure('instagram', '#a #b #c #d #e #f'))).toBe('hashtags');
    expect(overReason(measure('x', 'a'.repeat(281)))).toBe('length');
  });
});

describe('the fast scan agrees with a plain segmenter', () => {
  // The counters skip the segmenter between "simple" neighbours; random texts
  // from tricky pieces check that shortcut against counting every cluster.
  const pieces = ['a', 'é', 'e\u0301', ' ', '\n', '\r\n', '\r', '©', '\u200d©', '©\ufe0f', '👍🏽', '👨‍👩‍👧‍👦', '🇪🇸', '1️⃣', '日', '本', 'ｶ', 'か\u3099', 'क्ष', '\u0600a', 'ñ', '\u00ad', 'x\u0308', '#', 'Ω'];
  const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  it('on 2,000 random texts', () => {
    for (let k = 0; k < 2000; k++) {
      let s = '';
      const len = 1 + rand(12);
      for (let i = 0; i < len; i++) s += pieces[rand(pieces.length)];
      let expected = 0;
      for (const _ of seg.segment(s)) expected++;
      expect(graphemeCount(s), JSON.stringify(s)).toBe(expected);
    }
  });
});
