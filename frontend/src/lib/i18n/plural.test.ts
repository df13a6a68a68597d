// Counted strings use plural rules (Intl.PluralRules): every message with a
// count of things is a plural message in es, it and en, with one form per
// plural category of its language — a missing form fails here.
import { describe, expect, it } from 'vitest';
import { catalogs } from './catalogs';
import { isPlural, keysOf, lookup, pluralCategories, pluralForms, translate, UI_LANGUAGES } from './core';

// Messages with {count} that need no agreement: "n of m", "label: n", "(n)",
// an ordinal ("Attempt 2"), or a count that is always a formatted thousand.
const NOT_COUNTED = new Set([
  'ideas.toggle',
  'composer.hashtagCounter',
  'composer.overHashtags',
  'media.uses',
  'media.cleaned',
  'composerMedia.tooMany',
  'composerMedia.addedDropped',
  'outbox.attempts',
  'outbox.dueNow.show',
  'preview.truncated',
  'err.media.too_many_images',
  'err.edit.text_long', // "(this one has {count})": no noun to agree with
]);

const keys = keysOf(catalogs.en);

describe('plural messages', () => {
  it('every counted English message is plural', () => {
    const counted = keys.filter((k) => /\{count\}/.test(lookup(catalogs.en, k)!) && !NOT_COUNTED.has(k));
    expect(counted.length).toBeGreaterThan(8);
    expect(counted.filter((k) => !isPlural(lookup(catalogs.en, k)!))).toEqual([]);
  });

  it('the allow-list names real, non-plural messages', () => {
    for (const k of NOT_COUNTED) expect(lookup(catalogs.en, k), k).toMatch(/\{count\}/);
  });

  for (const lang of UI_LANGUAGES) {
    it(`${lang} has every plural category of its language in each counted message`, () => {
      const cats = pluralCategories(lang).sort();
      const bad: string[] = [];
      for (const k of keys) {
        const en = lookup(catalogs.en, k)!;
        const msg = lookup(catalogs[lang], k)!;
        if (!isPlural(en) && !isPlural(msg)) continue;
        if (!isPlural(msg)) {
          bad.push(`${k}: not plural`);
          continue;
        }
        const have = Object.keys(pluralForms(msg)).sort();
        if (have.join() !== cats.join()) bad.push(`${k}: forms ${have.join(',')} but ${lang} needs ${cats.join(',')}`);
        for (const [cat, form] of Object.entries(pluralForms(msg))) if (!form.trim()) bad.push(`${k}: empty ${cat}`);
      }
      expect(bad).toEqual([]);
    });
  }

  it('chooses the form by the count', () => {
    expect(translate('en', 'composerMedia.count', { count: 1 })).toBe('1 image');
    expect(translate('en', 'composerMedia.count', { count: 2 })).toBe('2 images');
    expect(translate('es', 'composerMedia.count', { count: 1 })).toBe('1 imagen');
    expect(translate('es', 'composerMedia.count', { count: 0 })).toBe('0 imágenes');
    expect(translate('es', 'composerMedia.count', { count: 1000000 })).toBe('1000000 de imágenes');
    expect(translate('it', 'composerMedia.count', { count: 1 })).toBe('1 immagine');
    expect(translate('it', 'calendar.more', { count: 1 })).toBe('+1 altro');
    expect(translate('it', 'calendar.more', { count: 3 })).toBe('+3 altri');
  });

  it('detects a missing form', () => {
    expect(pluralForms('one:{count} x|other:{count} xs')).toEqual({ one: '{count} x', other: '{count} xs' });
    expect(isPlural('{count} images')).toBe(false);
  });
});
