// End-to-end: a freelancer's first session in an empty workspace, through the
// selectors of frontend/TESTING.md. All spec files share one `wails dev` app
// and one fresh data dir (see ../run.sh) and run one file after another in
// name order, so this one ("00-") meets the first-run screen. Its tests run in
// order, each building on what the previous ones left; they look only at their
// own client and posts, so other files' data does not disturb them. Not
// "serial" mode: after a failure the later tests still run (in a new page),
// so one report shows every failure.
import { test, expect, type Page } from '@playwright/test';
import { dmy } from '../lib/dates';
// The Italian catalogue itself, so the language test checks real strings.
import { it as italian } from '../../frontend/src/lib/i18n/catalog/it';

const CLIENT = 'E2E Studio';
const HANDLE = 'e2e';
const POST_TEXT = 'E2E launch post: hello from Playwright';
const ZONE = 'Europe/Madrid'; // also the browser's zone (playwright.config.ts)

let page: Page;
const pageErrors: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    let title = '';
    try {
      title = test.info().title;
    } catch {
      /* between tests */
    }
    const text = `${title}: ${e.stack ?? e}`;
    // Wails v2.16's dev-mode /wails/ipc.js mounts its "connection lost"
    // overlay with the Svelte 4 API on a Svelte 5 build and throws on every
    // page load. Not Pauta's code, and not in the built app.
    if (/\/wails\/ipc\.js/.test(text) && /reading 'nodes'/.test(text)) return;
    pageErrors.push(text);
  });
});

// A new worker (after a failure) starts on a blank page: open the app.
test.beforeEach(async ({}, info) => {
  if (page.url() === 'about:blank' && !info.title.startsWith('first run')) {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  }
});

test.afterAll(async () => {
  await page?.close();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) {
    await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
  }
});

/** The page's ready marker: "calendar" or "first-run" (TESTING.md). */
async function waitReady(value: 'calendar' | 'first-run') {
  await expect(page.locator('html')).toHaveAttribute('data-ready', value, { timeout: 60_000 });
}

/** YYYY-MM-DD of today + days, in the browser's zone (= the client's). */
function isoDay(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The week-view slot for date at hour, paging forward a week if needed. */
async function weekSlot(date: string, hour: string) {
  await page.getByTestId('view-week').click();
  await expect(page.getByTestId('calendar')).toHaveAttribute('data-view', 'week');
  const slot = page.locator(`[data-testid=slot][data-date="${date}"][data-hour="${hour}"]`);
  if ((await slot.count()) === 0) {
    await page.getByTestId('cal-next').click();
  }
  await expect(slot).toBeVisible();
  return slot;
}

/** Opens a new post in the composer from the slot tomorrow at 10:00 and picks the client. */
async function composeTomorrow() {
  const date = isoDay(1);
  const slot = await weekSlot(date, '10');
  await slot.click();
  const composer = page.getByTestId('composer');
  await expect(composer).toBeVisible();
  const client = page.locator('#post-client');
  if (await client.isVisible()) {
    await client.selectOption({ label: CLIENT });
  }
  return { composer, date };
}

async function closeComposer() {
  const composer = page.getByTestId('composer');
  const confirm = page.getByTestId('confirm-ok');
  await page.getByTestId('composer-close').click();
  // Closing with unsaved text may ask to discard it: confirm when asked.
  await expect.poll(async () => (await confirm.isVisible()) || !(await composer.isVisible())).toBe(true);
  if (await confirm.isVisible()) await confirm.click();
  await expect(composer).toBeHidden();
}

test('first run: start with an empty workspace', async () => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'calendar') {
    // Only when another spec file ran first in this workspace.
    await expect(page.getByTestId('client-item').first(), 'a fresh workspace must show the first-run screen').toBeVisible();
    test.info().annotations.push({ type: 'note', description: 'workspace already set up by an earlier spec: first-run screen not checked' });
    return;
  }
  await expect(page.getByTestId('first-run')).toBeVisible();
  await page.getByTestId('first-run-empty').click();
  await waitReady('calendar');
  await expect(page.getByTestId('calendar')).toBeVisible();
  await expect(page.getByTestId('client-list')).toBeVisible();
  await expect(page.getByTestId('client-item')).toHaveCount(0);
  await expect(page.getByTestId('post-chip')).toHaveCount(0);
});

test('a client without a name is refused inline', async () => {
  const clients = await page.getByTestId('client-item').count();
  await page.getByTestId('new-client').click();
  await expect(page.locator('#client-name')).toBeVisible();
  await page.locator('#client-name').fill('');
  await page.getByTestId('client-save').click();
  await expect(page.getByTestId('field-error').first()).toBeVisible();
  await expect(page.locator('#client-name')).toBeVisible(); // the dialog stays open
  await page.getByTestId('client-cancel').click();
  await expect(page.locator('#client-name')).toBeHidden();
  await expect(page.getByTestId('client-item')).toHaveCount(clients);
});

test('create a client (Europe/Madrid, Spanish)', async () => {
  await page.getByTestId('new-client').click();
  await page.locator('#client-name').fill(CLIENT);
  await page.locator('#client-zone').selectOption(ZONE);
  await page.locator('#client-language').selectOption('es');
  await page.getByTestId('client-save').click();
  const item = page.getByTestId('client-item').filter({ hasText: CLIENT });
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute('data-client-id', /^\d+$/);
  // Saving a new client may keep the dialog open to add accounts; close it.
  if (await page.locator('#client-name').isVisible()) await page.getByTestId('client-cancel').click();
  await expect(page.locator('#client-name')).toBeHidden();
});

test('add a Facebook account to the client', async () => {
  const item = page.getByTestId('client-item').filter({ hasText: CLIENT });
  await item.hover();
  await item.getByTestId('client-edit').click();
  await expect(page.locator('#client-name')).toHaveValue(CLIENT);
  await expect(page.locator('#client-zone')).toHaveValue(ZONE);
  await expect(page.locator('#client-language')).toHaveValue('es');
  await page.locator('#account-network').selectOption('facebook');
  await page.locator('#account-handle').fill(`@${HANDLE}`);
  await page.getByTestId('account-add').click();
  await expect(page.getByTestId('account-item')).toHaveCount(1);
  await expect(page.getByTestId('account-item')).toContainText(HANDLE);
  await page.getByTestId('client-cancel').click();
  await expect(page.locator('#client-name')).toBeHidden();
});

test('scheduling without an account is refused and saves nothing', async () => {
  const { composer } = await composeTomorrow();
  await page.locator('#post-text').fill('This post has no account');
  const boxes = composer.getByTestId('composer-account');
  for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
  await page.getByTestId('save-scheduled').click();
  await expect(
    composer.locator('[data-testid=composer-error], [data-testid=field-error]').first(),
  ).toBeVisible();
  await expect(composer).toBeVisible();
  await closeComposer();
  await expect(page.getByTestId('post-chip').filter({ hasText: 'This post has no account' })).toHaveCount(0);
});

let postId = '';

test('schedule a post from the calendar and see its chip', async () => {
  const { composer, date } = await composeTomorrow();
  await expect(page.locator('#post-date')).toHaveValue(dmy(date));
  await expect(page.locator('#post-time')).toHaveValue('10:00');
  await expect(page.getByTestId('composer-zone')).toContainText(ZONE);
  const account = composer.getByTestId('composer-account');
  await expect(account).toHaveCount(1);
  await account.check();
  await page.locator('#post-text').fill(POST_TEXT);
  await page.locator('#post-date').fill(date);
  await page.locator('#post-time').fill('10:00');
  await page.getByTestId('save-scheduled').click();
  await expect(composer).toBeHidden();
  const chip = page.getByTestId('post-chip').filter({ hasText: POST_TEXT });
  await expect(chip).toHaveCount(1);
  await expect(chip).toBeVisible();
  postId = (await chip.getAttribute('data-post-id')) ?? '';
  expect(postId).toMatch(/^\d+$/);
  // The chip sits in the slot it was scheduled for.
  await expect(
    page.locator(`[data-testid=slot][data-date="${date}"][data-hour="10"] [data-testid=post-chip]`).filter({ hasText: POST_TEXT }),
  ).toHaveCount(1);
});

test('the post survives a reload and opens in the composer', async () => {
  await page.reload();
  await waitReady('calendar');
  await page.getByTestId('view-week').click();
  const date = isoDay(1);
  if ((await page.locator(`[data-testid=slot][data-date="${date}"]`).count()) === 0) {
    await page.getByTestId('cal-next').click();
  }
  const chip = page.locator(`[data-testid=post-chip][data-post-id="${postId}"]`);
  await expect(chip).toBeVisible();
  await chip.click();
  await expect(page.getByTestId('composer')).toBeVisible();
  await expect(page.locator('#post-text')).toHaveValue(POST_TEXT);
  await expect(page.locator('#post-date')).toHaveValue(dmy(date));
  await expect(page.locator('#post-time')).toHaveValue('10:00');
  await expect(page.getByTestId('composer-account')).toBeChecked();
  await closeComposer();
});

test('switch the interface to Italian', async () => {
  await page.getByTestId('open-settings').click();
  await page.locator('#settings-language').selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('all-clients')).not.toContainText(italian.sidebar.allClients);
  await page.locator('#settings-language').selectOption('it');
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  await page.getByTestId('settings-close').click();
  await expect(page.getByTestId('all-clients')).toContainText(italian.sidebar.allClients);
  await expect(page.getByTestId('cal-today')).toContainText(italian.calendar.today);
  // The choice is saved: still Italian after a reload.
  await page.reload();
  await waitReady('calendar');
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  await expect(page.getByTestId('all-clients')).toContainText(italian.sidebar.allClients);
  // Back to the system language for the spec files that follow.
  await page.getByTestId('open-settings').click();
  await page.locator('#settings-language').selectOption('');
  await page.getByTestId('settings-close').click();
  await expect(page.locator('html')).not.toHaveAttribute('lang', 'it');
});

test('the page threw no uncaught errors', async () => {
  expect(pageErrors, 'uncaught errors in the page, by test').toEqual([]);
});
