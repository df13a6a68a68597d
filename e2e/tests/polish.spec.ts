// End-to-end (issue 16): dialogs at a usable size at 1280×800 and 1024×640
// (the image library was ~1100 px of content in a 560-px dialog), Escape
// closes each; networks that require media block Schedule without it (the
// composer says why, Go refuses it too); a manual post at its time says
// "due — publish by hand" on its chip and in the list, not "Scheduled".
import { test, expect, type Page } from '@playwright/test';
import { en } from '../../frontend/src/lib/i18n/catalog/en';
import { dialogProblems } from '../lib/checks';

const CLIENT = 'E2E Polish';
const ZONE = 'Europe/Madrid';
const RUN = Date.now().toString(36);
const DUE_TEXT = `Polish: publish this by hand (${RUN})`;

type GoWindow = {
  go: {
    app: {
      ClientService: {
        Workspace(archived: boolean): Promise<{ clients: { id: number; name: string }[]; accounts: { id: number; clientId: number; network: string }[] }>;
        Save(c: object): Promise<{ id: number }>;
        AddAccount(a: object): Promise<{ id: number }>;
      };
      PostService: { Save(p: object): Promise<{ post: { id: number } }> };
      SettingsService: { SetLanguage(l: string): Promise<void> };
    };
  };
};

test.describe.configure({ mode: 'serial' });

let page: Page;
let clientId = 0;
let igId = 0;
let fbId = 0;

function localNow(offsetMs = 0) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(Date.now() + offsetMs))
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-empty').click();
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  }
  const ids = await page.evaluate(
    async ({ name, zone }) => {
      const go = (window as unknown as GoWindow).go.app;
      await go.SettingsService.SetLanguage('en');
      const ws = await go.ClientService.Workspace(false);
      const c = ws.clients.find((x) => x.name === name) ?? (await go.ClientService.Save({ id: 0, name, color: '#0f766e', timeZone: zone, language: 'en', guidelines: '', bannedWords: [], requiredTags: [] }));
      const acc = async (network: string) =>
        ws.accounts.find((a) => a.clientId === c.id && a.network === network) ??
        (await go.ClientService.AddAccount({ clientId: c.id, network, handle: `@polish.${network}`, displayName: 'Polish' }));
      return { client: c.id, ig: (await acc('instagram')).id, fb: (await acc('facebook')).id };
    },
    { name: CLIENT, zone: ZONE },
  );
  clientId = ids.client;
  igId = ids.ig;
  fbId = ids.fb;
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  await page.getByTestId('client-item').filter({ hasText: CLIENT }).locator('button').first().click();
});

test.afterAll(async () => {
  await page?.context().close();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
});

/** Escape; if the composer asks about unsaved changes, confirm. */
async function closeComposer() {
  const composer = page.getByTestId('composer');
  await page.keyboard.press('Escape');
  const confirm = page.getByTestId('confirm');
  await expect.poll(async () => (await confirm.isVisible()) || !(await composer.isVisible())).toBe(true);
  if (await confirm.isVisible()) await page.getByTestId('confirm-ok').click();
  await expect(composer).toBeHidden();
}

const dialogs: { name: string; open: () => Promise<unknown>; sel: string }[] = [
  { name: 'images', open: () => page.getByTestId('open-media').click(), sel: '[data-testid=media-dialog]' },
  { name: 'client', open: () => page.getByTestId('client-item').filter({ hasText: CLIENT }).getByTestId('client-edit').click({ force: true }), sel: '[data-testid=client-dialog]' },
  { name: 'settings', open: () => page.getByTestId('open-settings').click(), sel: '[data-testid=settings]' },
  { name: 'export', open: () => page.getByTestId('export-ics').click(), sel: '[data-testid=export-dialog]' },
  { name: 'outbox', open: () => page.getByTestId('open-outbox').click(), sel: '[data-testid=outbox-dialog]' },
  { name: 'composer', open: () => page.getByTestId('new-post').click(), sel: '[data-testid=composer]' },
];

for (const [w, h] of [
  [1280, 800],
  [1024, 640],
] as const) {
  test(`every dialog fits the window at ${w}×${h} and closes with Escape`, async () => {
    await page.setViewportSize({ width: w, height: h });
    const problems: string[] = [];
    for (const d of dialogs) {
      await d.open();
      await expect(page.locator(d.sel)).toBeVisible();
      await page.waitForTimeout(200);
      for (const p of await page.evaluate(dialogProblems, d.sel)) problems.push(`${d.name}: ${p}`);
      await page.screenshot({ path: test.info().outputPath(`${d.name}-${w}x${h}.png`) });
      await page.keyboard.press('Escape');
      await expect(page.locator(d.sel), `${d.name} closes with Escape`).toBeHidden();
    }
    expect(problems).toEqual([]);
  });
}

test('Instagram without an image blocks Schedule with its reason, and Go refuses it too', async () => {
  await page.setViewportSize({ width: 1280, height: 820 });
  await page.getByTestId('new-post').click();
  const composer = page.getByTestId('composer');
  await expect(composer).toBeVisible();
  const client = page.locator('#post-client');
  if (await client.isVisible()) await client.selectOption({ label: CLIENT });
  await composer.getByTestId('composer-accounts-none').click(); // new posts start with the client's accounts
  await composer.locator(`[data-testid=composer-account][data-account-id="${igId}"]`).check();
  await page.locator('#post-text').fill(`No picture (${RUN})`);
  const reason = en.composerMedia.needsMedia.replace('{network}', 'Instagram');
  await expect(composer.getByTestId('schedule-blocked')).toContainText(reason);
  await expect(page.getByTestId('save-scheduled')).toBeDisabled();
  await expect(page.getByTestId('add-to-queue')).toBeDisabled();
  // The reason is shown in full (not cut), and takes the user to the field.
  const link = composer.getByTestId('schedule-blocked-reason').filter({ hasText: reason });
  expect(await link.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && getComputedStyle(el).textOverflow !== 'ellipsis')).toBe(true);
  await link.click();
  await expect(composer.getByTestId('composer-media-add')).toBeFocused();
  // Facebook alone publishes text: Schedule is back.
  await composer.locator(`[data-testid=composer-account][data-account-id="${igId}"]`).uncheck();
  await composer.locator(`[data-testid=composer-account][data-account-id="${fbId}"]`).check();
  await expect(composer.getByTestId('schedule-blocked')).toHaveCount(0);
  await expect(page.getByTestId('save-scheduled')).toBeEnabled();
  await closeComposer();

  const err = await page.evaluate(
    async ({ clientId, igId, at }) => {
      try {
        await (window as unknown as GoWindow).go.app.PostService.Save({
          id: 0, clientId, status: 'scheduled', text: 'Straight to Go', firstComment: '', date: at.date, time: at.time, labels: [], variants: [{ accountId: igId, text: '' }],
        });
        return 'saved';
      } catch (e) {
        return String((e as { message?: string }).message ?? e);
      }
    },
    { clientId, igId, at: localNow(2 * 86_400_000) },
  );
  expect(err).toContain('post.media_required');
});

test('an over-limit text: the reason in full links to the text of that network', async () => {
  await page.getByTestId('new-post').click();
  const composer = page.getByTestId('composer');
  await expect(composer).toBeVisible();
  const client = page.locator('#post-client');
  if (await client.isVisible()) await client.selectOption({ label: CLIENT });
  await composer.getByTestId('composer-accounts-none').click(); // new posts start with the client's accounts
  await composer.locator(`[data-testid=composer-account][data-account-id="${fbId}"]`).check();
  await page.locator('#post-first-comment').fill('x'.repeat(70_000));
  const reason = composer.getByTestId('schedule-blocked-reason').first();
  await expect(reason).toBeVisible();
  await reason.click();
  await expect(page.locator('#post-first-comment')).toBeFocused();
  await page.locator('#post-first-comment').fill('');
  await expect(composer.getByTestId('schedule-blocked')).toHaveCount(0);
  await closeComposer();
});

test('drag and drop says the new time in the client\'s zone and offers Undo', async () => {
  const day = localNow(2 * 86_400_000).date;
  const text = `Polish: drag me (${RUN})`;
  await page.evaluate(
    async ({ clientId, fbId, day, text }) => {
      await (window as unknown as GoWindow).go.app.PostService.Save({
        id: 0, clientId, status: 'scheduled', text, firstComment: '', date: day, time: '10:00', labels: [], variants: [{ accountId: fbId, text: '' }],
      });
    },
    { clientId, fbId, day, text },
  );
  await page.getByTestId('view-week').click();
  await page.getByTestId('cal-today').click();
  // The header says which client the calendar shows.
  await expect(page.getByTestId('cal-client')).toHaveText(en.calendar.clientFilter.replace('{name}', CLIENT));
  const slot = (h: string) => page.locator(`[data-testid=slot][data-date="${day}"][data-hour="${h}"]`);
  if (!(await slot('10').count())) await page.getByTestId('cal-next').click();
  const chip = page.getByTestId('post-chip').filter({ hasText: text });
  await expect(slot('10').getByTestId('post-chip').filter({ hasText: text })).toHaveCount(1);
  await chip.dragTo(slot('15'), { targetPosition: { x: 10, y: 10 } });
  const toast = page.getByTestId('undo-toast');
  await expect(toast).toContainText('15:00');
  await expect(toast).toContainText('Madrid');
  await expect(slot('15').getByTestId('post-chip').filter({ hasText: text })).toHaveCount(1);
  await toast.getByTestId('undo').click();
  await expect(slot('10').getByTestId('post-chip').filter({ hasText: text })).toHaveCount(1);
  await expect(slot('15').getByTestId('post-chip').filter({ hasText: text })).toHaveCount(0);
});

test('a manual post at its time says "due — publish by hand" on its chip and in the list', async () => {
  const at = localNow(-60_000);
  await page.evaluate(
    async ({ clientId, fbId, at, text }) => {
      await (window as unknown as GoWindow).go.app.PostService.Save({
        id: 0, clientId, status: 'scheduled', text, firstComment: '', date: at.date, time: at.time, labels: [], variants: [{ accountId: fbId, text: '' }],
      });
    },
    { clientId, fbId, at, text: DUE_TEXT },
  );
  await expect(page.getByTestId('due-now')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('view-week').click();
  await page.getByTestId('cal-today').click();
  const chip = page.getByTestId('post-chip').filter({ hasText: DUE_TEXT });
  await expect(chip).toHaveAttribute('data-hand', 'due');
  await expect(chip.getByTestId('chip-hand')).toHaveText(en.outbox.chipDueShort);
  await expect(chip).toHaveAccessibleName(new RegExp(en.outbox.chipDue));
  await page.getByTestId('view-list').click();
  await page.getByTestId('cal-today').click();
  const row = page.getByTestId('post-chip').filter({ hasText: DUE_TEXT });
  await expect(row.getByTestId('chip-status')).toHaveText(en.outbox.chipDue);
  await expect(row.getByTestId('chip-status')).not.toHaveText(en.status.scheduled);
});

test('the Due-now panel is docked under the calendar, and Spanish buttons stay on one line each', async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const panel = page.getByTestId('due-now');
  await expect(panel).toBeVisible({ timeout: 30_000 });
  const overlap = await page.evaluate(() => {
    const a = document.querySelector('[data-testid=due-now]')!.getBoundingClientRect();
    const b = document.querySelector('[data-testid=calendar]')!.getBoundingClientRect();
    return Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  });
  expect(overlap, 'the panel covers part of the calendar').toBe(0);
  await page.evaluate(() => (window as unknown as GoWindow).go.app.SettingsService.SetLanguage('es'));
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es', { timeout: 60_000 });
  await expect(panel).toBeVisible({ timeout: 30_000 });
  const rows = await panel.getByTestId('due-actions').first().evaluate((el) => {
    const buttons = [...el.querySelectorAll<HTMLElement>('button')];
    const lineHeights = buttons.map((b) => b.getBoundingClientRect().height);
    return { rows: new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top))).size, tallest: Math.max(...lineHeights), lowest: Math.min(...lineHeights) };
  });
  expect(rows.tallest, 'a button label wraps inside the button').toBeLessThan(rows.lowest * 1.5);
  expect(rows.rows).toBeLessThanOrEqual(2);
  await page.evaluate(() => (window as unknown as GoWindow).go.app.SettingsService.SetLanguage('en'));
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
});

test('the outbox groups a post\'s networks, filters, searches, and never cuts a handle', async () => {
  const handle = '@una.cuenta.con.un.nombre.larguisimo.de.panaderia';
  const text = `Polish: two networks, one post (${RUN})`;
  await page.evaluate(
    async ({ clientId, handle, text, at }) => {
      const go = (window as unknown as GoWindow).go.app;
      const th = await go.ClientService.AddAccount({ clientId, network: 'threads', handle, displayName: 'Larga' });
      const ws = await go.ClientService.Workspace(false);
      const fb = ws.accounts.find((a) => a.clientId === clientId && a.network === 'facebook')!;
      await go.PostService.Save({ id: 0, clientId, status: 'scheduled', text, firstComment: '', date: at.date, time: at.time, labels: [], variants: [{ accountId: fb.id, text: '' }, { accountId: th.id, text: '' }] });
    },
    { clientId, handle, text, at: localNow(-60_000) },
  );
  await page.getByTestId('open-outbox').click();
  const dialog = page.getByTestId('outbox-dialog');
  const post = dialog.getByTestId('outbox-post').filter({ hasText: text });
  await expect(post).toHaveCount(1, { timeout: 30_000 });
  await expect(post.getByTestId('outbox-row')).toHaveCount(2);
  const h = post.locator('.handle', { hasText: handle });
  await expect(h).toHaveText(handle);
  expect(await h.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await dialog.getByTestId('outbox-filter-network').selectOption('threads');
  await expect(dialog.getByTestId('outbox-row').filter({ hasText: handle })).toHaveCount(1);
  // Only Threads rows are left (other specs' Threads posts may be there too).
  await expect(dialog.getByTestId('outbox-row').filter({ hasNot: page.locator('[aria-label="Threads"]') })).toHaveCount(0);
  await dialog.getByTestId('outbox-filter-network').selectOption('');
  await dialog.getByTestId('outbox-search').fill('no such words anywhere zzz');
  await expect(dialog.getByTestId('outbox-empty')).toHaveText(en.outbox.filter.none);
  await dialog.getByTestId('outbox-search').fill(RUN);
  await expect(post).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('week: posts at the same time side by side up to a readable width, then "+N"; opens at the earliest post', async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const day = localNow(3 * 86_400_000).date;
  await page.evaluate(
    async ({ clientId, fbId, day, run }) => {
      const go = (window as unknown as GoWindow).go.app;
      for (let i = 0; i < 5; i++) {
        await go.PostService.Save({ id: 0, clientId, status: 'draft', text: `Early bird ${i} (${run})`, firstComment: '', date: day, time: '06:00', labels: [], variants: [{ accountId: fbId, text: '' }] });
      }
    },
    { clientId, fbId, day, run: RUN },
  );
  await page.getByTestId('view-month').click();
  await page.getByTestId('view-week').click();
  await page.getByTestId('cal-today').click();
  const slot = page.locator(`[data-testid=slot][data-date="${day}"][data-hour="06"]`);
  if (!(await slot.count())) await page.getByTestId('cal-next').click();
  await expect(slot.getByTestId('week-more')).toHaveCount(1);
  const shown = await slot.getByTestId('post-chip').count();
  await expect(slot.getByTestId('week-more')).toHaveText(en.calendar.more.split('|').find((f) => f.startsWith('other:'))!.slice(6).replace('{count}', String(5 - shown)));
  for (const w of await slot.getByTestId('post-chip').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width))) expect(w).toBeGreaterThanOrEqual(44);
  await expect(slot).toBeInViewport();
  // The post shown stays clickable: the "+N" does not cover it.
  await slot.getByTestId('post-chip').first().click();
  await expect(page.getByTestId('composer')).toBeVisible();
  await closeComposer();
  await slot.getByTestId('week-more').click();
  await expect(page.getByTestId('calendar')).toHaveAttribute('data-view', 'list');
  await page.getByTestId('view-week').click();
});

test('the Instagram preview folds the caption at ~125 characters behind "… more"', async () => {
  await page.getByTestId('new-post').click();
  const composer = page.getByTestId('composer');
  await expect(composer).toBeVisible();
  const client = page.locator('#post-client');
  if (await client.isVisible()) await client.selectOption({ label: CLIENT });
  await composer.getByTestId('composer-accounts-none').click(); // new posts start with the client's accounts
  await composer.locator(`[data-testid=composer-account][data-account-id="${igId}"]`).check();
  const long = `${'Pan de masa madre con cuarenta y ocho horas de fermentación lenta. '.repeat(5)}FIN`;
  await page.locator('#post-text').fill(long);
  const preview = composer.locator('[data-testid=preview][data-network=instagram]');
  await expect(preview.getByTestId('preview-fold')).toHaveText(en.preview.more);
  const shown = await preview.locator('p.text').innerText();
  expect(shown).not.toContain('FIN');
  expect(shown.length).toBeLessThan(170);
  await preview.getByTestId('preview-fold').click();
  await expect(preview.locator('p.text')).toContainText('FIN');
  await closeComposer();
});
