// Pure i18n helpers: catalogue lookup, {placeholder} interpolation and the
// choice of the UI language. No Svelte here, so it is unit-tested in node.
//
// Only English is in the main bundle (it is the fallback, and what shows
// before the settings are read); Spanish and Italian are separate chunks,
// loaded once by loadCatalog before the UI switches to them. Every catalogue
// at once (tests, tools): ./catalogs.ts — the app must not import it.
import { en } from './catalog/en';
import type { Catalog } from './catalog/types';

export const UI_LANGUAGES = ['es', 'it', 'en'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

const loaded: Partial<Record<UiLanguage, Catalog>> = { en };

const loaders: Record<UiLanguage, () => Promise<Catalog>> = {
  en: async () => en,
  es: () => import('./catalog/es').then((m) => m.es),
  it: () => import('./catalog/it').then((m) => m.it),
};

/** The catalogue of lang if it is loaded, else English. */
export function catalogFor(lang: UiLanguage): Catalog {
  return loaded[lang] ?? en;
}

export function isCatalogLoaded(lang: UiLanguage): boolean {
  return loaded[lang] !== undefined;
}

/** Makes a catalogue available to translate (loadCatalog, or ./catalogs.ts for all of them). */
export function addCatalog(lang: UiLanguage, catalog: Catalog): void {
  loaded[lang] = catalog;
}

/** Loads lang's catalogue (its own chunk) once; rejects if the chunk cannot be loaded. */
export async function loadCatalog(lang: UiLanguage): Promise<void> {
  if (!loaded[lang]) addCatalog(lang, await loaders[lang]());
}

/** The Intl locale used to format dates and numbers for each UI language. */
export const LOCALES: Record<UiLanguage, string> = { es: 'es-ES', it: 'it-IT', en: 'en-GB' };

export type Params = Record<string, string | number>;

/** Replaces {name} placeholders; unknown ones are left visible so a missing param shows up. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The message at a dotted path, or undefined when the path is not a string leaf. */
export function lookup(catalog: Catalog, key: string): string | undefined {
  let node: unknown = catalog;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Looks key up in lang (if loaded), then English; returns the key itself when nobody has it. */
export function translate(lang: UiLanguage, key: string, params?: Params): string {
  const msg = lookup(catalogFor(lang), key) ?? lookup(en, key);
  return msg === undefined ? key : interpolate(msg, params);
}

/** "it-IT", "es_ES.UTF-8", "EN" → a supported UI language, or undefined. */
export function normalizeLanguage(tag: string | null | undefined): UiLanguage | undefined {
  if (!tag) return undefined;
  const base = tag.trim().toLowerCase().split(/[-_.@]/)[0];
  return (UI_LANGUAGES as readonly string[]).includes(base) ? (base as UiLanguage) : undefined;
}

/**
 * The UI language: the saved setting, else the OS locale Go read, else the
 * web view's languages, else English.
 */
export function detectLanguage(
  setting: string | null | undefined,
  systemLanguage: string | null | undefined,
  navigatorLanguages: readonly string[] = [],
): UiLanguage {
  const first = normalizeLanguage(setting) ?? normalizeLanguage(systemLanguage);
  if (first) return first;
  for (const l of navigatorLanguages) {
    const n = normalizeLanguage(l);
    if (n) return n;
  }
  return 'en';
}

/** Every dotted key of a catalogue tree, sorted (used by the completeness tests). */
export function keysOf(tree: object, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object') out.push(...keysOf(v as object, path));
    else out.push(path);
  }
  return out.sort();
}

/** The {placeholders} of a message, sorted and de-duplicated. */
export function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
}
