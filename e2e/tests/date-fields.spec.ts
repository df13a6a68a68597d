// End-to-end: dates and times as the user writes them (issue 16). The date and
// time fields are text boxes in the UI language's convention — dd/mm/aaaa and
// 24 h in Spanish, gg/mm/aaaa in Italian, dd/mm/yyyy on this en-GB system —
// not the engine's <input type=date>: typed d/m/yy and ISO dates are read,
// arrows step the day and the hour, a day that does not exist gets an inline
// error in the UI language, and the post is saved on the typed day and time.
import { test, expect, type Page } from '@playwright/test';
import { dmy } from '../lib/dates';

const CLIENT = 'E2E Date fields';
const ZONE = 'Europe/Madrid'; // also the browser's zone (playwright.config.ts)

let page: Page;
const pageErrors: string[] = [];
let clientId = 0;
let xId = 0;

type GoWindow = {
  go: {
    app: {
      ClientService: { Save(c: object): Promise<{ id: number }>; AddAccount(a: object): Promise<{ id: number }> };
      PostService: { List(q: object): Promise<{ text: string; status: string; local: string }[]> };
    };
  };
};

/** YYYY-MM-DD of today + days in Madrid. */
function isoDay(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

async function language(lang: string) {
  await page.getByTestId('open-settings').click();
  await page.locator('#settings-language').selectOption(lang);
  if (lang) await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await page.getByTestId('settings-close').click();
}

async function openComposer() {
  await page.getByTestId('new-post').click();
  const composer = page.getByTestId('composer');
  await expect(composer).toBeVisible();
  const client = page.locator('#post-client');
  if (await client.isVisible()) await client.selectOption({ label: CLIENT });
  return composer;
}

async function closeComposer() {
  const composer = page.getByTestId('composer');
  const confirm = page.getByTestId('confirm-ok');
  await page.getByTestId('composer-close').click();
  await expect.poll(async () => (await confirm.isVisible()) || !(await composer.isVisible())).toBe(true);
  if (await confirm.isVisible()) await confirm.click();
  await expect(composer).toBeHidden();
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    const text = `${e.stack ?? e}`;
    // Wails v2.16's dev-mode /wails/ipc.js overlay throws on Svelte 5 (see pauta.spec.ts).
    if (/\/wails\/ipc\.js/.test(text) && /reading 'nodes'/.test(text)) return;
    pageErrors.push(text);
  });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-empty').click();
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  }
  const ids = await page.evaluate(
    async ({ name, zone }) => {
      const go = (window as unknown as GoWindow).go.app;
      const c = await go.ClientService.Save({ id: 0, name, color: '#0b7285', timeZone: zone, language: 'es' });
      const x = await go.ClientService.AddAccount({ clientId: c.id, network: 'x', handle: '@fechas', displayName: 'Fechas' });
      return { client: c.id, x: x.id };
    },
    { name: CLIENT, zone: ZONE },
  );
  clientId = ids.client;
  xId = ids.x;
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
});

test.afterAll(async () => {
  await page?.close();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
});

test('Spanish: dd/mm/aaaa and 24 h, d/m/yy read, arrows step, 31/02 refused inline, the post saved on the typed day', async () => {
  await language('es');
  const composer = await openComposer();
  await composer.locator(`[data-testid=composer-account][data-account-id="${xId}"]`).check();
  await page.locator('#post-text').fill('Fechas como las escribe quien usa Pauta');
  const date = page.locator('#post-date');
  const time = page.locator('#post-time');
  await expect(date).toHaveAttribute('type', 'text');
  await expect(date).toHaveAttribute('placeholder', 'dd/mm/aaaa');
  await expect(date).toHaveAccessibleDescription(/Formato dd\/mm\/aaaa/);
  await expect(date).toHaveValue(/^\d{2}\/\d{2}\/\d{4}$/);
  await expect(time).toHaveAttribute('placeholder', 'hh:mm');

  // A day February lacks: an inline error in Spanish, named in the description.
  await date.fill('31/02/2027');
  await date.press('Tab');
  const err = composer.getByTestId('date-field-error');
  await expect(err).toHaveText('Ese día no existe: febrero de 2027 tiene 28 días.');
  await expect(date).toHaveAttribute('aria-invalid', 'true');
  await expect(date).toHaveAccessibleDescription(/febrero de 2027 tiene 28 días/);
  await date.fill('mañana');
  await date.press('Tab');
  await expect(err).toHaveText('No es una fecha: escríbela como dd/mm/aaaa.');

  // d/m/yy, shown back as dd/mm/aaaa; the arrows step a day.
  const day = isoDay(2);
  const [y, m, d] = day.split('-');
  await date.fill(`${Number(d)}/${Number(m)}/${y.slice(2)}`);
  await date.press('Tab');
  await expect(date).toHaveValue(dmy(day));
  await expect(err).toBeHidden();
  await expect(date).not.toHaveAttribute('aria-invalid', 'true');
  await date.press('ArrowUp');
  await expect(date).toHaveValue(dmy(isoDay(3)));
  await date.press('ArrowDown');
  await expect(date).toHaveValue(dmy(day));

  // Times: 24 h, '1830' read, arrows step an hour (Shift: 5 minutes).
  await time.fill('25:00');
  await time.press('Tab');
  await expect(composer.getByTestId('time-field-error')).toHaveText('No es una hora: escríbela como hh:mm.');
  await time.fill('1830');
  await time.press('Tab');
  await expect(time).toHaveValue('18:30');
  await expect(composer.getByTestId('time-field-error')).toBeHidden();
  await time.press('ArrowUp');
  await expect(time).toHaveValue('19:30');
  await time.press('Shift+ArrowDown');
  await expect(time).toHaveValue('19:25');

  await page.getByTestId('save-draft').click();
  await expect(composer).toBeHidden();
  const posts = await page.evaluate(
    async ({ clientId, from, to }) => (window as unknown as GoWindow).go.app.PostService.List({ clientId, from, to, ideas: false }),
    { clientId, from: isoDay(-1), to: isoDay(10) },
  );
  const post = posts.find((p) => p.text === 'Fechas como las escribe quien usa Pauta');
  expect(post, 'the draft was saved').toBeTruthy();
  expect(post!.local).toBe(`${day}T19:25`);

  // The ICS export's period is in the same convention.
  await page.getByTestId('export-ics').click();
  await expect(page.getByTestId('export-dialog')).toBeVisible();
  await expect(page.locator('#export-from')).toHaveValue(/^01\/\d{2}\/\d{4}$/);
  await expect(page.locator('#export-from')).toHaveAttribute('placeholder', 'dd/mm/aaaa');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('export-dialog')).toBeHidden();
});

test('Italian: gg/mm/aaaa, an inline error in Italian', async () => {
  await language('it');
  const composer = await openComposer();
  const date = page.locator('#post-date');
  await expect(date).toHaveAttribute('placeholder', 'gg/mm/aaaa');
  await expect(date).toHaveValue(/^\d{2}\/\d{2}\/\d{4}$/);
  await date.fill('31/04/27');
  await date.press('Tab');
  await expect(composer.getByTestId('date-field-error')).toHaveText('Quel giorno non esiste: aprile 2027 ha 30 giorni.');
  await date.fill('2027-04-30');
  await date.press('Tab');
  await expect(date).toHaveValue('30/04/2027');
  await closeComposer();
});

test('English on an en-GB system: dd/mm/yyyy, ISO typed dates read', async () => {
  await language('en');
  const composer = await openComposer();
  const date = page.locator('#post-date');
  await expect(date).toHaveAttribute('placeholder', 'dd/mm/yyyy');
  await date.fill('2027-03-07');
  await date.press('Tab');
  await expect(date).toHaveValue('07/03/2027');
  await date.fill('29/2/27');
  await date.press('Tab');
  await expect(composer.getByTestId('date-field-error')).toHaveText('That day does not exist: February 2027 has 28 days.');
  await closeComposer();
  await language(''); // back to the system language for the spec files that follow
});

test('the page threw no uncaught errors', async () => {
  expect(pageErrors, 'uncaught errors in the page, by test').toEqual([]);
});
