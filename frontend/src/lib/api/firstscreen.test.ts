import { describe, expect, it } from 'vitest';
import { FIRST_SCREEN_ID, takeFirstScreen } from './firstscreen';

/** A page holding elements by id; remove() takes one out. */
function page(blocks: Record<string, string>) {
  const els = new Map<string, { textContent: string; remove(): void }>();
  for (const [id, text] of Object.entries(blocks)) els.set(id, { textContent: text, remove: () => els.delete(id) });
  return { getElementById: (id: string) => (els.get(id) ?? null) as unknown as HTMLElement | null, has: (id: string) => els.has(id) };
}

const screen = {
  settings: { language: '', systemLanguage: 'es', firstRun: false, dataDir: '/d', version: 'v', graceMinutes: 15 },
  workspace: { clients: [], accounts: [], accountChoices: {} },
  networks: ['instagram', 'x'],
  calendar: { clientId: 0, from: '2026-10-26', to: '2026-12-06', posts: [], ideas: [] },
  changes: 3,
};

describe('the first screen in the page', () => {
  it('is read once, then taken out of the page', () => {
    const doc = page({ [FIRST_SCREEN_ID]: JSON.stringify(screen) });
    expect(takeFirstScreen(doc)).toEqual(screen);
    expect(doc.has(FIRST_SCREEN_ID)).toBe(false);
    expect(takeFirstScreen(doc)).toBeNull(); // "Retry" asks the backend instead
  });

  it('reads Go’s HTML-safe escapes back into the text', () => {
    // json.Marshal writes <, > and & as \u003c, \u003e, \u0026.
    const raw = JSON.stringify(screen).replace('"x"', '"\\u003c/script\\u003e \\u0026"');
    expect(takeFirstScreen(page({ [FIRST_SCREEN_ID]: raw }))?.networks).toEqual(['instagram', '</script> &']);
  });

  it('has no calendar on a first run', () => {
    const first = { ...screen, settings: { ...screen.settings, firstRun: true }, calendar: undefined };
    expect(takeFirstScreen(page({ [FIRST_SCREEN_ID]: JSON.stringify(first) }))?.calendar).toBeUndefined();
  });

  it('is null when missing, unreadable or not a first screen (the app then asks for it)', () => {
    expect(takeFirstScreen(page({}))).toBeNull();
    expect(takeFirstScreen(undefined)).toBeNull(); // no document (tests, workers)
    for (const bad of ['', '{', 'null', '[]', '{"settings":{}}', JSON.stringify({ ...screen, changes: '3' }), JSON.stringify({ ...screen, calendar: { from: 1 } })]) {
      expect(takeFirstScreen(page({ [FIRST_SCREEN_ID]: bad })), bad).toBeNull();
    }
  });
});
