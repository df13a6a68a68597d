// Every UI catalogue at once, for the completeness tests and tools. Importing
// this also makes all three available to translate(). The app itself must not
// import it: Spanish and Italian are loaded on demand (core.ts loadCatalog), so
// they stay out of the start-up bundle (lazy.test.ts checks this).
import { en } from './catalog/en';
import { es } from './catalog/es';
import { it } from './catalog/it';
import type { Catalog } from './catalog/types';
import { addCatalog, UI_LANGUAGES, type UiLanguage } from './core';

export const catalogs: Record<UiLanguage, Catalog> = { es, it, en };

for (const lang of UI_LANGUAGES) addCatalog(lang, catalogs[lang]);
