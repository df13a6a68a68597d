// Month view (issue 16 item 6) against the real backend: "+N more" opens a
// day popover reachable by keyboard (Escape gives the focus back, arrows
// move, Enter opens a post), chips carry network marks, the multi-client
// filter hides the other clients and is remembered, and axe finds nothing
// serious or critical with the popover open.
import { test, expect, type Page } from '@playwright/test';
import { axeSource, axeSerious } from '../lib/checks';

const RUN = Date.now().toString(36);
const A = `E2E Pop A ${RUN}`;
const B = `E2E Pop B ${RUN}`;
const ZONE = 'Europe/Madrid';

type GoWindow = {
  go: {
    app: {
      ClientService: { Save(c: object): Promise<{ id: number }>; AddAccount(a: object): Promise<{ id: number }> };
      PostService: { Save(p: object): Promise<unknown> };
      SettingsService: { SetLanguage(l: string): Promise<void> };
    };
  };
};

test.describe.configure({ mode: 'serial' });

let page: Page;
let day = '';

function today(): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date()).map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-demo').click();
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  }
  day = today();
  await page.evaluate(
    async ({ a, b, zone, date }) => {
      const go = (window as unknown as GoWindow).go.app;
      await go.SettingsService.SetLanguage('en');
      for (const [name, color, n] of [
        [a, '#1d4ed8', 4],
        [b, '#b42318', 2],
      ] as const) {
        const c = await go.ClientService.Save({ id: 0, name, color, timeZone: zone, language: 'en', guidelines: '', bannedWords: [], requiredTags: [] });
        const fb = await go.ClientService.AddAccount({ clientId: c.id, network: 'facebook', handle: `@pop${c.id}`, displayName: name });
        for (let i = 0; i < n; i++) {
          await go.PostService.Save({ id: 0, clientId: c.id, status: 'draft', text: `${name} post ${i}`, firstComment: '', date, time: `0${i + 1}:0${i}`, labels: [], variants: [{ accountId: fb.id, text: '' }] });
        }
      }
    },
    { a: A, b: B, zone: ZONE, date: day },
  );
  await page.evaluate(() => localStorage.removeItem('pauta.calendarClients'));
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  await page.getByTestId('all-clients').click();
  await page.getByTestId('view-month').click();
});

test.afterAll(async () => {
  await page?.context().close();
});

test('chips carry network marks and "+N more" opens a day popover by keyboard', async () => {
  const cell = page.locator(`#cell-${day}`);
  await expect(cell.getByTestId('post-chip').first()).toBeVisible();
  await expect(cell.getByTestId('chip-net').first()).toBeVisible();
  const more = cell.getByTestId('more');
  await more.focus();
  await page.keyboard.press('Enter');
  const pop = page.getByTestId('day-popover');
  await expect(pop).toBeVisible();
  const chips = pop.getByTestId('post-chip');
  expect(await chips.count()).toBeGreaterThanOrEqual(6);
  await expect(chips.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(chips.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(chips.last()).toBeFocused();
  await expect(pop.getByTestId('chip-net').first()).toBeVisible();

  // axe with the popover open.
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  expect(await page.evaluate(axeSerious, '[data-testid=calendar]')).toEqual([]);

  await page.keyboard.press('Escape');
  await expect(pop).toBeHidden();
  await expect(more).toBeFocused();

  // Enter on a post in the popover opens it.
  await page.keyboard.press('Enter');
  await expect(pop).toBeVisible();
  await expect(chips.nth(0)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('composer')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('composer')).toBeHidden();
});

test('the multi-client filter hides other clients, is named in the header and remembered', async () => {
  const cell = page.locator(`#cell-${day}`);
  await page.getByTestId('client-picker').click();
  const list = page.getByTestId('client-picker-list');
  await list.getByLabel(A).check();
  await expect(page.getByTestId('cal-clients')).toContainText(A);
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  // Only A's four posts: three chips and "+1 more", none of B's.
  await cell.getByTestId('more').click();
  const pop = page.getByTestId('day-popover');
  await expect(pop.getByTestId('post-chip').filter({ hasText: A })).toHaveCount(4);
  await expect(pop.getByTestId('post-chip').filter({ hasText: B })).toHaveCount(0);
  await page.keyboard.press('Escape');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  await page.getByTestId('view-month').click();
  await expect(page.getByTestId('cal-clients')).toContainText(A);
  await expect(page.locator(`#cell-${day}`).getByTestId('post-chip').filter({ hasText: B })).toHaveCount(0);

  await page.getByTestId('client-picker').click();
  await page.getByTestId('client-picker-all').click();
  await expect(page.getByTestId('cal-clients')).toBeHidden();
  await page.evaluate(() => localStorage.removeItem('pauta.calendarClients'));
});

test('a narrow month cell shows a chip’s first network mark only, a wide one all of them', async () => {
  const text = `two networks ${RUN}`;
  await page.evaluate(
    async ({ name, zone, date, text }) => {
      const go = (window as unknown as GoWindow).go.app;
      const c = await go.ClientService.Save({ id: 0, name, color: '#027a48', timeZone: zone, language: 'en', guidelines: '', bannedWords: [], requiredTags: [] });
      const fb = await go.ClientService.AddAccount({ clientId: c.id, network: 'facebook', handle: `@two${c.id}`, displayName: name });
      const li = await go.ClientService.AddAccount({ clientId: c.id, network: 'linkedin', handle: `@twoli${c.id}`, displayName: name });
      const variants = [fb, li].map((a) => ({ accountId: a.id, text: '' }));
      await go.PostService.Save({ id: 0, clientId: c.id, status: 'draft', text, firstComment: '', date, time: '00:00', labels: [], variants });
    },
    { name: `E2E Pop C ${RUN}`, zone: ZONE, date: day, text },
  );
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  await page.getByTestId('view-month').click();
  const marks = page.locator(`#cell-${day}`).getByTestId('post-chip').filter({ hasText: text }).getByTestId('chip-net');
  await page.setViewportSize({ width: 1600, height: 900 });
  await expect(marks).toHaveCount(2);
  await expect(marks.nth(1)).toBeVisible();
  await page.setViewportSize({ width: 1024, height: 640 });
  await expect(marks.first()).toBeVisible();
  await expect(marks.nth(1)).toBeHidden();
  // The day's popover is wide enough for every mark.
  await page.locator(`#cell-${day}`).getByTestId('more').click();
  const inPopover = page.getByTestId('day-popover').getByTestId('post-chip').filter({ hasText: text }).getByTestId('chip-net');
  await expect(inPopover.nth(1)).toBeVisible();
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1280, height: 800 });
});
