// End-to-end: keyboard use of the outbox screens (QA pass). Escape closes the
// outbox dialog, the online popover and the Due-now panel, and focus goes
// back to what opened them; hiding/showing the Due-now panel keeps the focus;
// the grace-period setting saves on Enter and refuses out-of-range values.
import { test, expect, type Page } from '@playwright/test';
import { en } from '../../frontend/src/lib/i18n/catalog/en';

const CLIENT = 'E2E Keyboard';
const ZONE = 'Europe/Madrid';
const TEXT = `Keyboard QA: due by hand right now (${Date.now().toString(36)})`;

type GoWindow = {
  go: {
    app: {
      ClientService: {
        Workspace(archived: boolean): Promise<{ clients: { id: number; name: string }[]; accounts: { id: number; clientId: number; network: string }[] }>;
        Save(c: object): Promise<{ id: number }>;
        AddAccount(a: object): Promise<{ id: number }>;
      };
      PostService: { Save(p: object): Promise<unknown> };
      SettingsService: { SetLanguage(l: string): Promise<void>; SetGrace(m: number): Promise<void> };
    };
  };
};

test.describe.configure({ mode: 'serial' });

let page: Page;
const pageErrors: string[] = [];

const focusedTestId = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset?.testid ?? '');

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    // Wails' own ipc.js throws this once in a plain browser; not ours.
    if (!/reading 'nodes'/.test(e.message)) pageErrors.push(e.message);
  });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-empty').click();
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  }
  // A Facebook (manual) post due a minute ago: it shows in "Due now".
  await page.evaluate(
    async ({ name, zone, text }) => {
      const go = (window as unknown as GoWindow).go.app;
      await go.SettingsService.SetLanguage('en');
      // Re-runs against the same workspace reuse the client.
      const ws = await go.ClientService.Workspace(false);
      const c = ws.clients.find((x) => x.name === name) ?? (await go.ClientService.Save({ id: 0, name, color: '#7c3aed', timeZone: zone, language: 'en', guidelines: '', bannedWords: [], requiredTags: [] }));
      const ig =
        ws.accounts.find((a) => a.clientId === c.id && a.network === 'facebook') ??
        (await go.ClientService.AddAccount({ clientId: c.id, network: 'facebook', handle: '@keyboard.ig', displayName: 'Keyboard' }));
      const p = Object.fromEntries(
        new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
          .formatToParts(new Date(Date.now() - 60_000))
          .map((x) => [x.type, x.value]),
      );
      await go.PostService.Save({
        id: 0,
        clientId: c.id,
        status: 'scheduled',
        text,
        firstComment: '',
        date: `${p.year}-${p.month}-${p.day}`,
        time: `${p.hour}:${p.minute}`,
        labels: [],
        variants: [{ accountId: ig.id, text: '' }],
      });
    },
    { name: CLIENT, zone: ZONE, text: TEXT },
  );
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
});

test.afterAll(async () => {
  await page?.context().close();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) {
    await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
  }
});

test('Escape closes the outbox and focus returns to what opened it', async () => {
  await page.getByTestId('open-outbox').click();
  await expect(page.getByTestId('outbox-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('outbox-dialog')).toBeHidden();
  expect(await focusedTestId()).toBe('open-outbox');

  // Key O from the calendar, then the close button: back to the calendar.
  await page.getByTestId('cal-today').focus();
  await page.keyboard.press('o');
  await expect(page.getByTestId('outbox-dialog')).toBeVisible();
  await page.getByTestId('outbox-close').click();
  await expect(page.getByTestId('outbox-dialog')).toBeHidden();
  expect(await focusedTestId()).toBe('cal-today');
});

test('the online popover closes on Escape from inside it and on a click elsewhere', async () => {
  const indicator = page.getByTestId('online-indicator');
  await indicator.click();
  await expect(page.getByTestId('online-popover')).toBeVisible();
  await page.keyboard.press('Tab');
  expect(await focusedTestId()).toBe('online-check-now');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('online-popover')).toBeHidden();
  expect(await focusedTestId()).toBe('online-indicator');
  await expect(indicator).toHaveAttribute('aria-expanded', 'false');

  await indicator.click();
  await expect(page.getByTestId('online-popover')).toBeVisible();
  await page.getByTestId('client-list').click({ position: { x: 5, y: 5 } });
  await expect(page.getByTestId('online-popover')).toBeHidden();
});

test('hiding and showing the Due-now panel keeps the keyboard focus', async () => {
  const panel = page.getByTestId('due-now');
  await expect(panel.getByTestId('due-item').filter({ hasText: TEXT })).toHaveCount(1, { timeout: 30_000 });
  await panel.getByTestId('due-now-hide').focus();
  await page.keyboard.press('Enter');
  await expect(panel).toBeHidden();
  expect(await focusedTestId()).toBe('due-now-show');
  await page.keyboard.press('Enter');
  await expect(panel).toBeVisible();
  expect(await focusedTestId()).toBe('due-now-hide');

  // Escape inside the panel hides it too; the typed link is not a reason to stay.
  await panel.getByTestId('due-item').filter({ hasText: TEXT }).getByTestId('due-copy').focus();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  expect(await focusedTestId()).toBe('due-now-show');
  await page.getByTestId('due-now-show').click();
  await expect(panel).toBeVisible();

  // Leave nothing due behind: the panel would sit over later specs' calendar.
  await panel.getByTestId('due-item').filter({ hasText: TEXT }).getByTestId('outbox-skip').click();
  await expect(panel.getByTestId('due-item').filter({ hasText: TEXT })).toHaveCount(0);
});

test('the grace period saves on Enter and refuses values out of range', async () => {
  await page.getByTestId('open-settings').click();
  const dialog = page.getByTestId('settings');
  await expect(dialog).toBeVisible();
  const grace = page.locator('#settings-grace');
  await grace.fill('0');
  await grace.press('Enter');
  await expect(dialog.getByTestId('field-error')).toHaveText(en.err.settings.grace_invalid);
  await expect(grace).toHaveValue('0'); // kept for correction
  await grace.fill('30');
  await grace.press('Enter');
  await expect(dialog.getByTestId('settings-grace-saved')).toBeVisible();
  await expect(dialog.getByTestId('field-error')).toHaveCount(0);
  // Back to the default so later specs see the usual grace period.
  await grace.fill('15');
  await grace.press('Enter');
  await expect(dialog.getByTestId('settings-grace-saved')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await focusedTestId()).toBe('open-settings');
  expect(pageErrors).toEqual([]);
});
