import { describe, expect, it } from 'vitest';
import {
  catalogs,
  detectLanguage,
  interpolate,
  keysOf,
  lookup,
  normalizeLanguage,
  placeholders,
  translate,
  UI_LANGUAGES,
} from './core';

describe('catalogues', () => {
  const reference = keysOf(catalogs.en);

  it('have a sizeable English reference', () => {
    expect(reference.length).toBeGreaterThan(150);
  });

  for (const lang of UI_LANGUAGES) {
    it(`${lang} has exactly the English key set`, () => {
      const keys = keysOf(catalogs[lang]);
      expect(keys.filter((k) => !reference.includes(k))).toEqual([]);
      expect(reference.filter((k) => !keys.includes(k))).toEqual([]);
    });

    it(`${lang} has no empty message and the same placeholders as English`, () => {
      for (const key of reference) {
        const msg = lookup(catalogs[lang], key);
        expect(typeof msg, key).toBe('string');
        expect(msg!.trim().length, key).toBeGreaterThan(0);
        expect(placeholders(msg!), key).toEqual(placeholders(lookup(catalogs.en, key)!));
      }
    });
  }

  it('keysOf walks nested trees and reports leaves only', () => {
    expect(keysOf({ a: 'x', b: { c: 'y', d: { e: 'z' } } })).toEqual(['a', 'b.c', 'b.d.e']);
  });

  it('covers the guideline warnings of a save', () => {
    expect(lookup(catalogs.en, 'warn.guidelines.banned')).toContain('{word}');
    expect(lookup(catalogs.en, 'warn.guidelines.missing')).toContain('{tag}');
  });

  it('covers every error key the Go backend emits', () => {
    // grep 'Errorf(' in backend/ and app/: keep this list in step with it.
    const goKeys = [
      'account.duplicate', 'account.handle_required', 'account.handle_too_long', 'account.network_invalid',
      'account.not_found', 'client.color_invalid', 'client.guidelines_too_long', 'client.language_invalid',
      'client.name_required', 'client.name_taken', 'client.name_too_long', 'client.not_found',
      'client.not_found_name', 'client.zone_invalid', 'post.account_duplicate', 'post.account_other_client',
      'post.account_required', 'post.client_change', 'post.date_invalid', 'post.label_too_long', 'post.not_found',
      'post.status_invalid', 'post.text_too_long', 'post.time_invalid', 'post.time_required', 'range.inverted',
      'settings.language_invalid', 'store.corrupt', 'store.dir', 'store.newer_schema', 'store.no_config_dir',
      'store.open', 'text.invalid_utf8', 'text.nul', 'internal', 'post.over_limit', 'post.too_many_hashtags',
      'post.published_locked', 'post.review_locked', 'list.item_too_long', 'slot.none', 'slot.full', 'slot.invalid',
      'hashtags.name_required', 'hashtags.name_taken', 'hashtags.not_found', 'hashtags.tags_required',
      'template.name_required', 'template.name_taken', 'template.not_found',
      'keychain.unavailable', 'keychain.locked', 'keychain.not_found', 'keychain.too_big',
    ]; // ics.* keys are CLI-only (pauta export) and never reach the UI.
    for (const k of goKeys) expect(lookup(catalogs.en, `err.${k}`), k).toBeTypeOf('string');
  });
});

describe('interpolate', () => {
  it('fills placeholders, repeated ones too', () => {
    expect(interpolate('{a} and {b} and {a}', { a: 'x', b: 2 })).toBe('x and 2 and x');
  });
  it('leaves unknown placeholders visible', () => {
    expect(interpolate('Hi {name}, {missing}', { name: 'Ana' })).toBe('Hi Ana, {missing}');
  });
  it('returns the template without params', () => {
    expect(interpolate('{x}')).toBe('{x}');
  });
  it('does not read inherited properties', () => {
    expect(interpolate('{toString}', {})).toBe('{toString}');
  });
});

describe('translate', () => {
  it('picks the language', () => {
    expect(translate('it', 'calendar.today')).toBe('Oggi');
    expect(translate('es', 'calendar.today')).toBe('Hoy');
    expect(translate('en', 'calendar.today')).toBe('Today');
  });
  it('interpolates', () => {
    expect(translate('es', 'sidebar.editClient', { name: 'Sol' })).toBe('Editar Sol');
  });
  it('returns the key for a missing message and for a branch', () => {
    expect(translate('en', 'nope.never')).toBe('nope.never');
    expect(translate('en', 'calendar')).toBe('calendar');
  });
});

describe('detectLanguage', () => {
  it('prefers the saved setting', () => {
    expect(detectLanguage('it', 'es', ['en-US'])).toBe('it');
  });
  it('falls back to the OS language when the setting is empty', () => {
    expect(detectLanguage('', 'es', ['it-IT'])).toBe('es');
  });
  it('then to the web view languages, skipping unsupported ones', () => {
    expect(detectLanguage('', '', ['de-DE', 'it-CH', 'es'])).toBe('it');
  });
  it('then to English', () => {
    expect(detectLanguage('', '', ['fr-FR', 'de'])).toBe('en');
    expect(detectLanguage(undefined, null)).toBe('en');
  });
  it('normalizes POSIX and BCP 47 tags', () => {
    expect(normalizeLanguage('es_ES.UTF-8')).toBe('es');
    expect(normalizeLanguage('IT')).toBe('it');
    expect(normalizeLanguage('en-GB')).toBe('en');
    expect(normalizeLanguage('pt-BR')).toBeUndefined();
    expect(normalizeLanguage('')).toBeUndefined();
  });
});
