// End-to-end: a community manager plans next week for two clients on the
// calendar (issue 4) — ten posts made with the keyboard and the mouse, one
// dragged to another day, one deleted and brought back with undo, filters,
// the list view, and a reload that finds everything where it was. Runs after
// pauta.spec.ts on the same data dir (its workspace may already have a
// client and a post), so every check looks only at this spec's own posts.
import { test, expect, type Page, type Locator } from '@playwright/test';

// Networks added by hand (Bluesky and Mastodon go through a connect form).
const A = { name: 'PW Bakery', networks: ['threads', 'facebook'], handle: 'pwbakery' };
const B = { name: 'PW Studio', networks: ['threads', 'linkedin'], handle: 'pwstudio' };
const ZONE = 'Europe/Madrid'; // also the browser's zone (playwright.config.ts)

let page: Page;
const pageErrors: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    const text = String(e.stack ?? e);
    // Wails v2.16's dev-mode ipc.js overlay (see pauta.spec.ts): not Pauta's code.
    if (/\/wails\/ipc\.js/.test(text) && /reading 'nodes'/.test(text)) return;
    pageErrors.push(text);
  });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-empty').click();
    await waitReady();
  }
});

test.afterAll(async () => {
  await page?.close();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
});

async function waitReady() {
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * The seven days (YYYY-MM-DD) of next week, Monday first, in the browser's
 * zone (playwright.config.ts: Europe/Madrid), not this process's: on a
 * Sunday evening in UTC it is already Monday there.
 */
function nextWeek(): string[] {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date()).map((x) => [x.type, x.value]),
  );
  const d = new Date(Number(parts.year), Number(parts.month) - 1, Number(parts.day), 12);
  d.setDate(d.getDate() + 7 - ((d.getDay() + 6) % 7)); // next Monday
  return Array.from({ length: 7 }, (_, i) => {
    const x = new Date(d);
    x.setDate(d.getDate() + i);
    return iso(x);
  });
}
const WEEK = nextWeek();

function plusDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return iso(new Date(y, m - 1, d + n, 12));
}

/** The ten posts: client, day index in WEEK, time, how they are made and saved. */
const POSTS = [
  { key: 'PW-A1', c: A, day: 0, time: '09:00', via: 'keys', save: 'scheduled' },
  { key: 'PW-A2', c: A, day: 1, time: '10:30', via: 'keys', save: 'draft' },
  { key: 'PW-A3', c: A, day: 2, time: '13:15', via: 'keys', save: 'scheduled' },
  { key: 'PW-A4', c: A, day: 3, time: '17:45', via: 'keys', save: 'draft' },
  { key: 'PW-A5', c: A, day: 4, time: '19:00', via: 'keys', save: 'scheduled' },
  { key: 'PW-B1', c: B, day: 0, time: '11:00', via: 'mouse', save: 'scheduled' },
  { key: 'PW-B2', c: B, day: 1, time: '15:00', via: 'mouse', save: 'draft' },
  { key: 'PW-B3', c: B, day: 2, time: '08:00', via: 'mouse', save: 'scheduled' },
  { key: 'PW-B4', c: B, day: 3, time: '12:00', via: 'mouse', save: 'scheduled' },
  { key: 'PW-B5', c: B, day: 4, time: '16:00', via: 'mouse', save: 'draft' },
] as const;
const text = (key: string) => `${key} plan de la semana: pan, talleres y novedades`;

const chip = (key: string) => page.getByTestId('post-chip').filter({ hasText: key });
const ours = () => page.getByTestId('post-chip').filter({ hasText: /PW-[AB]\d/ });
const slot = (date: string, hour: string) => page.locator(`[data-testid=slot][data-date="${date}"][data-hour="${hour}"]`);

/** Week view showing next week. */
async function showNextWeek() {
  await page.getByTestId('view-week').click();
  await expect(page.getByTestId('calendar')).toHaveAttribute('data-view', 'week');
  await page.getByTestId('cal-today').click();
  await page.getByTestId('cal-next').click();
  await expect(slot(WEEK[0], '09')).toBeVisible();
}

async function selectClient(name: string | null) {
  if (name === null) await page.getByTestId('all-clients').click();
  else await page.getByTestId('client-item').filter({ hasText: name }).locator('button').first().click();
}

async function closeComposerIfOpen(composer: Locator) {
  if (!(await composer.isVisible())) return;
  await page.getByTestId('composer-close').click();
  const confirm = page.getByTestId('confirm-ok');
  await expect.poll(async () => (await confirm.isVisible()) || !(await composer.isVisible())).toBe(true);
  if (await confirm.isVisible()) await confirm.click();
  await expect(composer).toBeHidden();
}

test('set the interface to English', async () => {
  await page.getByTestId('open-settings').click();
  await page.locator('#settings-language').selectOption('en');
  await page.getByTestId('settings-close').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

for (const c of [A, B]) {
  test(`create the client ${c.name} with ${c.networks.join(' and ')}`, async () => {
    await page.getByTestId('new-client').click();
    await page.locator('#client-name').fill(c.name);
    await page.locator('#client-zone').selectOption(ZONE);
    await page.locator('#client-language').selectOption('es');
    await page.getByTestId('client-save').click();
    const item = page.getByTestId('client-item').filter({ hasText: c.name });
    await expect(item).toHaveCount(1);
    if (!(await page.locator('#account-network').isVisible())) {
      if (await page.locator('#client-name').isVisible()) await page.getByTestId('client-cancel').click();
      await item.hover();
      await item.getByTestId('client-edit').click();
    }
    for (const n of c.networks) {
      await page.locator('#account-network').selectOption(n);
      await page.locator('#account-handle').fill(`@${c.handle}`);
      await page.getByTestId('account-add').click();
    }
    await expect(page.getByTestId('account-item')).toHaveCount(c.networks.length);
    await page.getByTestId('client-cancel').click();
    await expect(page.locator('#client-name')).toBeHidden();
  });
}

test('plan ten posts for next week with the keyboard and the mouse', async () => {
  const composer = page.getByTestId('composer');
  for (const p of POSTS) {
    await selectClient(p.c.name);
    await showNextWeek();
    const date = WEEK[p.day];
    if (p.via === 'keys') {
      // Focus a slot of the grid, then "n" opens a new post.
      await slot(date, '09').focus();
      await page.keyboard.press('n');
    } else {
      await slot(date, p.time.slice(0, 2)).click({ position: { x: 6, y: 6 } });
    }
    await expect(composer).toBeVisible();
    const client = page.locator('#post-client');
    if (await client.isVisible()) await client.selectOption({ label: p.c.name });
    const boxes = composer.getByTestId('composer-account');
    await expect(boxes).toHaveCount(p.c.networks.length);
    for (let i = 0; i < p.c.networks.length; i++) await boxes.nth(i).check();
    await page.locator('#post-text').click();
    await page.keyboard.type(text(p.key));
    await page.locator('#post-date').fill(date);
    await page.locator('#post-time').fill(p.time);
    const save = page.getByTestId(p.save === 'draft' ? 'save-draft' : 'save-scheduled');
    if (p.via === 'keys') {
      await save.focus();
      await page.keyboard.press('Enter');
    } else {
      await save.click();
    }
    await expect(composer.locator('[data-testid=composer-error]')).toHaveCount(0);
    // A composer that stays open after saving (autosave style) is closed by hand.
    await expect.poll(async () => (await chip(p.key).count()) > 0 || !(await composer.isVisible()), { timeout: 15_000 }).toBe(true);
    await closeComposerIfOpen(composer);
    await expect(chip(p.key)).toHaveCount(1);
    await expect(slot(date, p.time.slice(0, 2)).getByTestId('post-chip').filter({ hasText: p.key })).toHaveCount(1);
  }
  await selectClient(null);
  await showNextWeek();
  await expect(ours()).toHaveCount(10);
});

test('drag a post to another day and hour; it keeps its minutes', async () => {
  await selectClient(null);
  await showNextWeek();
  // PW-A3: Wednesday 13:15 → Thursday 09:xx (the slot keeps the minutes: 09:15).
  const source = chip('PW-A3');
  await expect(source).toHaveAttribute('data-draggable', 'true');
  await source.dragTo(slot(WEEK[3], '09'), { targetPosition: { x: 8, y: 8 } });
  await expect(slot(WEEK[3], '09').getByTestId('post-chip').filter({ hasText: 'PW-A3' })).toHaveCount(1);
  await expect(slot(WEEK[2], '13').getByTestId('post-chip').filter({ hasText: 'PW-A3' })).toHaveCount(0);
  await expect(chip('PW-A3')).toHaveAccessibleName(/09:15/);
  // The month view: drag PW-B5 (Friday 16:00) onto Saturday; it keeps 16:00.
  await page.getByTestId('view-month').click();
  await expect(page.getByTestId('calendar')).toHaveAttribute('data-view', 'month');
  const cell = (d: string) => page.locator(`[data-testid=day-cell][data-date="${d}"]`);
  await expect(cell(WEEK[4]).getByTestId('post-chip').filter({ hasText: 'PW-B5' })).toHaveCount(1);
  await chip('PW-B5').dragTo(cell(WEEK[5]), { targetPosition: { x: 20, y: 60 } });
  await expect(cell(WEEK[5]).getByTestId('post-chip').filter({ hasText: 'PW-B5' })).toHaveCount(1);
  await expect(cell(WEEK[4]).getByTestId('post-chip').filter({ hasText: 'PW-B5' })).toHaveCount(0);
  // The drop did not also open the composer.
  await expect(page.getByTestId('composer')).toBeHidden();
});

test('the moved posts are still there after a reload', async () => {
  await page.reload();
  await waitReady();
  await showNextWeek();
  await expect(slot(WEEK[3], '09').getByTestId('post-chip').filter({ hasText: 'PW-A3' })).toHaveCount(1);
  await expect(slot(WEEK[5], '16').getByTestId('post-chip').filter({ hasText: 'PW-B5' })).toHaveCount(1);
  await expect(ours()).toHaveCount(10);
});

test('Delete removes the focused post and Undo brings it back', async () => {
  await showNextWeek();
  const target = chip('PW-B2');
  await target.focus();
  await page.keyboard.press('Delete');
  await expect(chip('PW-B2')).toHaveCount(0);
  const undo = page.getByTestId('undo-toast');
  await expect(undo).toBeVisible();
  await undo.getByTestId('undo').click();
  await expect(chip('PW-B2')).toHaveCount(1);
  await expect(undo).toBeHidden();
  // Again with Ctrl+Z while the toast shows.
  await chip('PW-B2').focus();
  await page.keyboard.press('Delete');
  await expect(chip('PW-B2')).toHaveCount(0);
  await expect(undo).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(chip('PW-B2')).toHaveCount(1);
  await expect(slot(WEEK[1], '15').getByTestId('post-chip').filter({ hasText: 'PW-B2' })).toHaveCount(1);
});

test('keyboard: arrows move the focused slot, Enter opens a focused post', async () => {
  await showNextWeek();
  await slot(WEEK[0], '09').focus();
  await page.keyboard.press('ArrowRight');
  await expect(slot(WEEK[1], '09')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(slot(WEEK[1], '10')).toBeFocused();
  await page.keyboard.press('Tab'); // into the slot's post (PW-A2 at 10:30)
  await expect(chip('PW-A2')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('composer')).toBeVisible();
  await expect(page.locator('#post-text')).toHaveValue(text('PW-A2'));
  await closeComposerIfOpen(page.getByTestId('composer'));
  await slot(WEEK[1], '10').focus();
  await page.keyboard.press('PageDown'); // the same slot a week later
  await expect(slot(plusDays(WEEK[1], 7), '10')).toBeFocused();
  await page.keyboard.press('PageUp');
  await expect(slot(WEEK[1], '10')).toBeFocused();
});

test('filter by network and by status, then clear', async () => {
  await showNextWeek();
  await expect(ours()).toHaveCount(10);
  await page.locator('#filter-network').selectOption('facebook'); // only PW Bakery has Facebook
  await expect(ours()).toHaveCount(5);
  await expect(page.getByTestId('post-chip').filter({ hasText: /PW-B\d/ })).toHaveCount(0);
  // The filter stays while moving through weeks.
  await page.getByTestId('cal-next').click();
  await page.getByTestId('cal-prev').click();
  await expect(page.locator('#filter-network')).toHaveValue('facebook');
  await expect(ours()).toHaveCount(5);
  await page.locator('#filter-status').selectOption('draft'); // A2, A4
  await expect(ours()).toHaveCount(2);
  await page.locator('#filter-network').selectOption('');
  await expect(ours()).toHaveCount(4); // A2, A4, B2, B5
  await page.getByTestId('filters-clear').click();
  await expect(ours()).toHaveCount(10);
});

test('the list view shows the days with their posts in order', async () => {
  await showNextWeek();
  await slot(WEEK[0], '09').focus(); // the list starts at the focused day
  await page.getByTestId('view-list').click();
  await expect(page.getByTestId('calendar')).toHaveAttribute('data-view', 'list');
  await expect(ours()).toHaveCount(10);
  const monday = page.locator(`[data-testid=list-day][data-date="${WEEK[0]}"]`);
  await expect(monday.getByTestId('post-chip').filter({ hasText: /PW-/ })).toHaveText([/PW-A1/, /PW-B1/]); // 09:00, 11:00
});

test('after a reload everything is where it was', async () => {
  await page.reload();
  await waitReady();
  await selectClient(null);
  await showNextWeek();
  await expect(ours()).toHaveCount(10);
  const where: Record<string, [number, string]> = {
    'PW-A1': [0, '09'], 'PW-A2': [1, '10'], 'PW-A3': [3, '09'], 'PW-A4': [3, '17'], 'PW-A5': [4, '19'],
    'PW-B1': [0, '11'], 'PW-B2': [1, '15'], 'PW-B3': [2, '08'], 'PW-B4': [3, '12'], 'PW-B5': [5, '16'],
  };
  for (const [key, [day, hour]] of Object.entries(where)) {
    await expect(slot(WEEK[day], hour).getByTestId('post-chip').filter({ hasText: key }), key).toHaveCount(1);
  }
  await expect(chip('PW-A2')).toHaveAttribute('data-status', 'draft');
  await expect(chip('PW-A1')).toHaveAttribute('data-status', 'scheduled');
});

test('the page threw no uncaught errors', async () => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});
