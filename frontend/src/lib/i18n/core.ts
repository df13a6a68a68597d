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

/**
 * Counted messages carry one form per plural category of their language
 * (Intl.PluralRules: "one", "many", "other"…), chosen by the {count} param:
 *   'one:{count} image|other:{count} images'
 * A form the language lacks falls back to "other" (i18n.test.ts requires
 * every category of each language, so that only happens if an engine's ICU
 * knows more categories than Node's).
 */
const PLURAL = /^(zero|one|two|few|many|other):/;
const FORM_SPLIT = /\|(?=(?:zero|one|two|few|many|other):)/;

/** Is msg a plural message (forms by category)? */
export function isPlural(msg: string): boolean {
  return PLURAL.test(msg);
}

/** The forms of a plural message by category ({} when it is not one). */
export function pluralForms(msg: string): Record<string, string> {
  if (!isPlural(msg)) return {};
  const out: Record<string, string> = {};
  for (const part of msg.split(FORM_SPLIT)) {
    const m = PLURAL.exec(part);
    if (m) out[m[1]] = part.slice(m[0].length);
  }
  return out;
}

const rulesByLang = new Map<UiLanguage, Intl.PluralRules>();
/** The plural categories lang's counted messages need (Intl.PluralRules). */
export function pluralCategories(lang: UiLanguage): string[] {
  return pluralRules(lang).resolvedOptions().pluralCategories;
}
function pluralRules(lang: UiLanguage): Intl.PluralRules {
  let r = rulesByLang.get(lang);
  if (!r) rulesByLang.set(lang, (r = new Intl.PluralRules(LOCALES[lang])));
  return r;
}

/** The form of a plural message for params.count in lang (the message itself when not plural). */
export function pluralForm(lang: UiLanguage, msg: string, params?: Params): string {
  if (!isPlural(msg)) return msg;
  const forms = pluralForms(msg);
  const n = Number(params?.count);
  const cat = Number.isFinite(n) ? pluralRules(lang).select(n) : 'other';
  return forms[cat] ?? forms.other ?? Object.values(forms)[0] ?? '';
}

/** Looks key up in lang (if loaded), then English; returns the key itself when nobody has it. */
export function translate(lang: UiLanguage, key: string, params?: Params): string {
  const own = lookup(catalogFor(lang), key);
  const msg = own ?? lookup(en, key);
  if (msg === undefined) return key;
  return interpolate(pluralForm(own === undefined ? 'en' : lang, msg, params), params);
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
