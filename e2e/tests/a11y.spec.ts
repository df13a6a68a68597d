// Accessibility (issue 16): axe-core on every main screen against the real
// backend — month, week, list, composer, client dialog, image library,
// outbox, due now, settings, export (the first-run screen is checked in the
// WebKitGTK pass, e2e/webkit/, which starts from a new workspace). Serious
// and critical findings fail. Also: a skip link to the calendar, and focus
// back on the calendar's cell after Schedule.
import { test, expect, type Page } from '@playwright/test';
import { axeSource, axeSerious } from '../lib/checks';

const CLIENT = 'E2E A11y';
const ZONE = 'Europe/Madrid';
const RUN = Date.now().toString(36);

type GoWindow = {
  go: {
    app: {
      ClientService: {
        Workspace(archived: boolean): Promise<{ clients: { id: number; name: string }[]; accounts: { id: number; clientId: number; network: string }[] }>;
        Save(c: object): Promise<{ id: number }>;
        AddAccount(a: object): Promise<{ id: number }>;
      };
      PostService: { Save(p: object): Promise<unknown> };
      SettingsService: { SetLanguage(l: string): Promise<void> };
    };
  };
};

test.describe.configure({ mode: 'serial' });

let page: Page;
let fbId = 0;

function localAt(offsetMs: number) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(Date.now() + offsetMs))
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

async function axe(selector: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(axeSerious, selector);
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-demo').click();
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  }
  fbId = await page.evaluate(
    async ({ name, zone, due, text }) => {
      const go = (window as unknown as GoWindow).go.app;
      await go.SettingsService.SetLanguage('en');
      const ws = await go.ClientService.Workspace(false);
      const c = ws.clients.find((x) => x.name === name) ?? (await go.ClientService.Save({ id: 0, name, color: '#b42318', timeZone: zone, language: 'en', guidelines: '', bannedWords: [], requiredTags: [] }));
      const fb =
        ws.accounts.find((a) => a.clientId === c.id && a.network === 'facebook') ??
        (await go.ClientService.AddAccount({ clientId: c.id, network: 'facebook', handle: '@a11y.fb', displayName: 'A11y' }));
      // A post due by hand a minute ago: the Due-now panel shows.
      await go.PostService.Save({ id: 0, clientId: c.id, status: 'scheduled', text, firstComment: '', date: due.date, time: due.time, labels: [], variants: [{ accountId: fb.id, text: '' }] });
      return fb.id;
    },
    { name: CLIENT, zone: ZONE, due: localAt(-60_000), text: `A11y due by hand (${RUN})` },
  );
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
});

test.afterAll(async () => {
  await page?.context().close();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
});

test('no serious or critical axe finding on any main screen', async () => {
  const found: string[] = [];
  const check = async (name: string, selector: string) => {
    for (const f of await axe(selector)) found.push(`${name}: ${f}`);
  };
  for (const view of ['month', 'week', 'list'] as const) {
    await page.getByTestId(`view-${view}`).click();
    await expect(page.getByTestId('calendar')).toHaveAttribute('data-view', view);
    await check(view, 'body');
  }
  await expect(page.getByTestId('due-now')).toBeVisible({ timeout: 30_000 });
  await check('due now', '[data-testid=due-now]');
  const dialogs: [string, () => Promise<unknown>, string][] = [
    ['composer', () => page.getByTestId('new-post').click(), 'composer'],
    ['client dialog', () => page.getByTestId('client-item').filter({ hasText: CLIENT }).getByTestId('client-edit').click({ force: true }), 'client-dialog'],
    ['image library', () => page.getByTestId('open-media').click(), 'media-dialog'],
    ['outbox', () => page.getByTestId('open-outbox').click(), 'outbox-dialog'],
    ['settings', () => page.getByTestId('open-settings').click(), 'settings'],
    ['export', () => page.getByTestId('export-ics').click(), 'export-dialog'],
  ];
  for (const [name, open, id] of dialogs) {
    await open();
    await expect(page.getByTestId(id)).toBeVisible();
    await page.waitForTimeout(300);
    await check(name, `[data-testid=${id}]`);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId(id)).toBeHidden();
  }
  console.log(`[axe] ${found.length} serious/critical finding(s)${found.length ? `:\n${found.join('\n')}` : ''}`);
  expect(found).toEqual([]);
});

test('the first Tab reaches a skip link that lands on the calendar', async () => {
  await page.getByTestId('view-month').click();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Tab');
  const skip = page.getByTestId('skip-to-calendar');
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => `${document.activeElement?.getAttribute('role')} ${document.activeElement?.outerHTML.slice(0, 120)}`)).toMatch(/^gridcell /);
});

test('after Schedule, focus is back on the calendar cell', async () => {
  await page.getByTestId('client-item').filter({ hasText: CLIENT }).locator('button').first().click();
  await page.getByTestId('view-month').click();
  const day = localAt(3 * 86_400_000).date;
  await page.getByTestId('cal-today').click();
  const cell = page.locator(`[data-testid=day-cell][data-date="${day}"]`);
  if (!(await cell.count())) await page.getByTestId('cal-next').click();
  await cell.click({ position: { x: 6, y: 30 } });
  const composer = page.getByTestId('composer');
  await expect(composer).toBeVisible();
  await composer.getByTestId('composer-accounts-none').click(); // new posts start with the client's accounts
  await composer.locator(`[data-testid=composer-account][data-account-id="${fbId}"]`).check();
  await page.locator('#post-text').fill(`A11y focus after Schedule (${RUN})`);
  await page.getByTestId('save-scheduled').click();
  await expect(composer).toBeHidden();
  await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? '')).toBe(`cell-${day}`);
});
