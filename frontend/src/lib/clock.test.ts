import { afterEach, describe, expect, it } from 'vitest';
import { clockFromPage, now, nowDate } from './clock';
import { todayIn } from './calendar/dates';

type Dirent = { name: string; isDirectory(): boolean };
type FsLike = { readFileSync(path: string, enc: 'utf8'): string; readdirSync(path: string, opts: { withFileTypes: true }): Dirent[] };
// @types/node is not a dependency: name the module at run time and type what we use.
const fsModule: string = 'node:fs';
const { readFileSync, readdirSync } = (await import(/* @vite-ignore */ fsModule)) as FsLike;
const SRC = decodeURIComponent(new URL('../', import.meta.url).pathname); // frontend/src/

const page = (content: string | null) => ({
  querySelector: (sel: string) => (content !== null && sel === 'meta[name="pauta-clock"]' ? ({ content } as HTMLMetaElement) : null),
});

afterEach(() => clockFromPage(page(null)));

describe('the app clock', () => {
  it('is the laptop clock when the page says nothing', () => {
    clockFromPage(page(null));
    expect(Math.abs(now() - Date.now())).toBeLessThan(50);
  });

  it('runs as far ahead as the page says: the next day is today', () => {
    clockFromPage(page(String(86_400_000)));
    expect(Math.abs(now() - Date.now() - 86_400_000)).toBeLessThan(50);
    const tomorrow = new Date(Date.now() + 86_400_000);
    // Unless the test runs across midnight, today on the app clock is the laptop's tomorrow.
    expect(todayIn(undefined)).toBe(todayIn(undefined, tomorrow));
    expect(nowDate().getTime()).toBeGreaterThan(Date.now() + 86_000_000);
  });

  it('ignores a page clock that is not a number', () => {
    clockFromPage(page('tomorrow'));
    expect(Math.abs(now() - Date.now())).toBeLessThan(50);
  });
});

/** The sources (not tests) under dir, relative to src/. */
function sources(dir = ''): string[] {
  return readdirSync(SRC + dir, { withFileTypes: true }).flatMap((e) => {
    const rel = dir + e.name;
    if (e.isDirectory()) return e.name === 'wailsjs' ? [] : sources(rel + '/');
    return /\.(ts|svelte)$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [rel] : [];
  });
}

describe('reading the time', () => {
  // A page drawn for another time (the next day's first frame) must draw
  // what the app will draw then: no module may read the laptop's clock but
  // lib/clock.ts.
  it('goes through lib/clock.ts everywhere', () => {
    const reads = /\bDate\.now\(\)|new Date\(\s*\)|(?<![\w.])Date\(\s*\)/;
    const files = sources();
    expect(files.length).toBeGreaterThan(50);
    const found = files.filter((f) => f !== 'lib/clock.ts' && reads.test(readFileSync(SRC + f, 'utf8')));
    expect(found).toEqual([]);
  });
});
