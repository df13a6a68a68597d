// The reactive UI language. Components call t(); reading `ui.lang` inside it
// makes every translated string re-render when the language changes.
import { catalogFor, isCatalogLoaded, loadCatalog, LOCALES, lookup, translate, type Params, type UiLanguage } from './core';
import type { MessageKey } from './catalog/types';
import { errorMessage, toApiError } from '../api/errors';

export type { UiLanguage } from './core';

export const ui = $state<{ lang: UiLanguage }>({ lang: 'en' });

/** A message by its (type-checked) key. */
export function t(key: MessageKey, params?: Params): string {
  return translate(ui.lang, key, params);
}

/** A message by a key built at run time (error keys). */
export function tKey(key: string, params?: Params): string {
  return translate(ui.lang, key, params);
}

/** The Intl locale of the current UI language ("es-ES", "it-IT", "en-GB"). */
export function locale(): string {
  return LOCALES[ui.lang];
}

let langSeq = 0;

/**
 * Switches the UI to lang once its catalogue is loaded (Spanish and Italian
 * are chunks of their own), so no screen shows half in English. The last call
 * wins. If the chunk cannot be loaded, the UI stays in its current language
 * and the promise rejects.
 */
export async function setUiLanguage(lang: UiLanguage): Promise<void> {
  const mine = ++langSeq;
  if (!isCatalogLoaded(lang)) await loadCatalog(lang);
  if (mine !== langSeq) return;
  ui.lang = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** The translated, user-facing message for any failure (never the raw Go text). */
export function errorText(e: unknown): string {
  return errorMessage(toApiError(e), tKey, (key) => lookup(catalogFor(ui.lang), key) !== undefined);
}

/** A network's display name in the UI language. */
export function networkName(network: string): string {
  return lookup(catalogFor(ui.lang), `network.${network}`) ?? network;
}

/** A post status in the UI language. */
export function statusName(status: string): string {
  return lookup(catalogFor(ui.lang), `status.${status}`) ?? status;
}
