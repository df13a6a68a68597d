// Dates as the user writes them, in WebKitGTK — the engine of Pauta's window,
// whose <input type=date> ignored the UI language (issue 16): in Spanish and
// Italian the composer's date box shows dd/mm/yyyy (and 24 h times); a
// screenshot of each goes to <results>/screens/<lang>-composer-date.png.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { Driver, Keys, type Session } from '../lib/webdriver';

const results = process.env.E2E_RESULTS ?? '../test-results/webkit';
const shots = path.join(results, 'screens');
const base = process.env.E2E_BASE_URL ?? 'http://localhost:34115';

test.describe.configure({ mode: 'serial' });

const driver = new Driver();
let s: Session;

test.beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  await driver.start();
  s = await driver.session();
  await s.viewport(1280, 800);
  await s.go(base);
  await s.waitFor('the app to be ready', () => /^(calendar|first-run)$/.test(document.documentElement.dataset.ready ?? ''), [], 120_000);
  if ((await s.run(() => document.documentElement.dataset.ready)) === 'first-run') {
    await s.click('[data-testid=first-run-demo]');
    await s.waitFor('the calendar', () => document.documentElement.dataset.ready === 'calendar', [], 60_000);
  }
});

test.afterAll(async () => {
  await s?.close();
  driver.stop();
});

for (const [lang, placeholder] of [
  ['es', 'dd/mm/aaaa'],
  ['it', 'gg/mm/aaaa'],
] as const) {
  test(`the composer's date reads dd/mm/yyyy in ${lang}`, async () => {
    await s.click('[data-testid=open-settings]');
    await s.waitVisible('#settings-language', 30_000); // the settings chunk loads on first use
    await s.run((l: string) => {
      const sel = document.querySelector<HTMLSelectElement>('#settings-language')!;
      sel.value = l;
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    }, lang);
    await s.waitFor(`html[lang=${lang}]`, (l: string) => document.documentElement.lang === l, [lang]);
    await s.key(Keys.Escape);
    await s.waitGone('[data-testid=settings]');

    await s.click('[data-testid=new-post]');
    await s.waitVisible('#post-date');
    await new Promise((r) => setTimeout(r, 250));
    const field = await s.run(() => {
      const d = document.querySelector<HTMLInputElement>('#post-date')!;
      const t = document.querySelector<HTMLInputElement>('#post-time')!;
      return { type: d.type, value: d.value, placeholder: d.placeholder, iso: d.dataset.value ?? '', time: t.value, width: d.getBoundingClientRect().width };
    });
    fs.writeFileSync(path.join(shots, `${lang}-composer-date.png`), await s.screenshot());
    expect(field.type).toBe('text');
    expect(field.placeholder).toBe(placeholder);
    expect(field.value).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    const [y, m, d] = field.iso.split('-');
    expect(field.value).toBe(`${d}/${m}/${y}`);
    expect(field.time).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
    expect(field.width).toBeGreaterThan(60); // the whole date fits

    await s.key(Keys.Escape);
    await s.waitGone('[data-testid=composer]', 10_000).catch(async () => {
      await s.run(() => document.querySelector<HTMLElement>('[data-testid=confirm-ok]')?.click());
      await s.waitGone('[data-testid=composer]');
    });
  });
}
