// Spanish and Italian are chunks of their own: translate() only knows them
// once loaded, and the UI switches language only after its catalogue is in.
// (No import of ./catalogs here: it would load every catalogue up front.)
import { describe, expect, it } from 'vitest';
import { isCatalogLoaded, loadCatalog, translate } from './core';
import { setUiLanguage, t, ui } from './index.svelte';

describe('catalogues loaded on demand', () => {
  it('starts with English only and falls back to it until a catalogue is loaded', async () => {
    expect(isCatalogLoaded('en')).toBe(true);
    expect(isCatalogLoaded('it')).toBe(false);
    expect(translate('it', 'calendar.today')).toBe('Today');
    await loadCatalog('it');
    expect(isCatalogLoaded('it')).toBe(true);
    expect(translate('it', 'calendar.today')).toBe('Oggi');
  });

  it('switches the UI language only once the catalogue is there; the last call wins', async () => {
    expect(ui.lang).toBe('en');
    expect(isCatalogLoaded('es')).toBe(false);
    // es still loading when the user picks English: English stays.
    const slow = setUiLanguage('es');
    await setUiLanguage('en');
    await slow;
    expect(ui.lang).toBe('en');

    const es = setUiLanguage('it').then(() => setUiLanguage('es'));
    await es;
    expect(ui.lang).toBe('es');
    expect(t('calendar.today')).toBe('Hoy');
  });
});
