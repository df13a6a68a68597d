// The first screen's data, written by Go into the served page as a JSON data
// block (app/firstscreen.go): settings, clients and accounts, and the month
// view's posts and ideas. Read once, before the app mounts, so the calendar
// paints with its posts in its first frame instead of after three trips
// across the bridge. A data block is not a script (the page's policy allows
// no inline script) and is removed once read: a second read, or a page
// served without it, gets null and asks SettingsService.FirstScreen instead.
import type { app } from './wailsjs/go/models';

export type FirstScreen = app.FirstScreen;
export type FirstCalendar = app.FirstCalendar;

/** The id of the data block (FirstScreenID in app/firstscreen.go). */
export const FIRST_SCREEN_ID = 'pauta-first-screen';

/** Takes the first screen out of the page; null when it is missing or unreadable. */
export function takeFirstScreen(doc: Pick<Document, 'getElementById'> | undefined = globalThis.document): FirstScreen | null {
  const el = doc?.getElementById(FIRST_SCREEN_ID);
  if (!el) return null;
  el.remove();
  try {
    const v = JSON.parse(el.textContent ?? '') as FirstScreen;
    return isFirstScreen(v) ? v : null;
  } catch {
    return null;
  }
}

function isFirstScreen(v: unknown): v is FirstScreen {
  const f = v as Partial<FirstScreen> | null;
  if (!f || typeof f !== 'object' || !f.settings || typeof f.settings !== 'object' || !f.workspace || !Array.isArray(f.networks) || typeof f.changes !== 'number') {
    return false;
  }
  const c = f.calendar;
  return c == null || (typeof c.from === 'string' && typeof c.to === 'string' && Array.isArray(c.posts) && Array.isArray(c.ideas));
}
