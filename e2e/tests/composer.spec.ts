// End-to-end: the composer of issue 4 — per-account texts with live limits
// (over the limit blocks Schedule, not Save draft), hashtag sets, brand
// guidelines, Add to queue into posting slots, autosave across a reload,
// cleaned pastes and Duplicate. The client, its accounts, slots and hashtag
// set are made through the Go API (window.go.app.*): their UI belongs to the
// client dialog and is tested in accounts.spec.ts.
import { test, expect, type Page } from '@playwright/test';
import { dmy } from '../lib/dates';

const CLIENT = 'E2E Composer';
const ZONE = 'Europe/Madrid'; // also the browser's zone (playwright.config.ts)

let page: Page;
const pageErrors: string[] = [];
let clientId = 0;
let xId = 0;
let igId = 0;

type GoWindow = {
  go: {
    app: {
      ClientService: {
        Save(c: object): Promise<{ id: number }>;
        AddAccount(a: object): Promise<{ id: number }>;
      };
      PlanningService: {
        SaveHashtagSet(h: object): Promise<{ id: number }>;
        SetSlots(accountId: number, slots: object[]): Promise<void>;
      };
      PostService: {
        List(q: object): Promise<PostView[]>;
        Ideas(clientId: number): Promise<PostView[]>;
        Get(id: number): Promise<PostView>;
      };
    };
  };
};
interface PostView {
  id: number;
  clientId: number;
  status: string;
  text: string;
  firstComment: string;
  local: string;
  variants: { accountId: number; text: string }[];
}

/** YYYY-MM-DD of today + days in Madrid. */
function isoDay(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** Now in Madrid as "YYYY-MM-DDTHH:MM". */
function nowLocal(): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date())
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** Every post of the client in the next weeks, ideas included. */
async function clientPosts(): Promise<PostView[]> {
  return page.evaluate(
    async ({ clientId, from, to }) => {
      const svc = (window as unknown as GoWindow).go.app.PostService;
      const dated = await svc.List({ clientId, from, to, ideas: false });
      const ideas = await svc.Ideas(clientId);
      return [...(dated ?? []), ...(ideas ?? [])];
    },
    { clientId, from: isoDay(-1), to: isoDay(40) },
  );
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
  // A client with brand rules and two accounts, through the Go API.
  const ids = await page.evaluate(
    async ({ name, zone }) => {
      const go = (window as unknown as GoWindow).go.app;
      const c = await go.ClientService.Save({
        id: 0,
        name,
        color: '#d9480f',
        timeZone: zone,
        language: 'es',
        guidelines: 'Cercano y alegre. Tuteamos.',
        bannedWords: ['barato'],
        requiredTags: ['#SolBakery'],
      });
      const x = await go.ClientService.AddAccount({ clientId: c.id, network: 'x', handle: '@sol_x', displayName: 'Sol Bakery' });
      const ig = await go.ClientService.AddAccount({ clientId: c.id, network: 'instagram', handle: '@sol_ig', displayName: 'Sol Bakery' });
      return { client: c.id, x: x.id, ig: ig.id };
    },
    { name: CLIENT, zone: ZONE },
  );
  clientId = ids.client;
  xId = ids.x;
  igId = ids.ig;
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  await expect(page.getByTestId('client-item').filter({ hasText: CLIENT })).toHaveCount(1);
});

test.afterAll(async () => {
  await page?.close();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) {
    await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
  }
});

/** A new post for the client at date/time with the given accounts ticked. */
async function newPost(accounts: number[], date = isoDay(1), time = '10:00') {
  await page.getByTestId('new-post').click();
  const composer = page.getByTestId('composer');
  await expect(composer).toBeVisible();
  const client = page.locator('#post-client');
  if (await client.isVisible()) await client.selectOption({ label: CLIENT });
  await composer.getByTestId('composer-accounts-none').click(); // new posts start with the client's accounts
  for (const id of accounts) await composer.locator(`[data-testid=composer-account][data-account-id="${id}"]`).check();
  await page.locator('#post-date').fill(date);
  await page.locator('#post-time').fill(time);
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

test('an X text over 280 blocks Schedule and Queue, but Save draft works', async () => {
  const composer = await newPost([xId, igId], isoDay(1), '10:00');
  await page.locator('#post-text').fill('Pan recién hecho #SolBakery');
  const xCounter = composer.locator(`[data-testid=limit-counter][data-account-id="${xId}"]`).first();
  await expect(xCounter).toHaveAttribute('data-level', 'ok');
  await expect(xCounter).toContainText('27 / 280');

  // X gets its own, too long text; Instagram keeps the base.
  await composer.locator(`[data-testid=variant-tab][data-account-id="${xId}"]`).click();
  await composer.getByTestId('variant-customise').click();
  const own = composer.getByTestId('variant-text');
  await expect(own).toHaveValue('Pan recién hecho #SolBakery');
  await own.fill('x'.repeat(281));
  await expect(composer.locator(`[data-testid=limit-counter][data-account-id="${xId}"]`)).toHaveAttribute('data-level', 'over');
  await expect(composer.locator(`[data-testid=limit-counter][data-account-id="${xId}"]`)).toContainText('281 / 280');
  await expect(page.getByTestId('save-scheduled')).toBeDisabled();
  await expect(page.getByTestId('add-to-queue')).toBeDisabled();
  await expect(page.getByTestId('schedule-blocked')).toContainText('281');

  // Instagram: same as base, its counter fine; customise and reset.
  await composer.locator(`[data-testid=variant-tab][data-account-id="${igId}"]`).click();
  await expect(composer.getByTestId('variant-same')).toBeVisible();
  await composer.getByTestId('variant-customise').click();
  await expect(composer.getByTestId('variant-text')).toBeVisible();
  await composer.getByTestId('variant-reset').click();
  await expect(composer.getByTestId('variant-same')).toBeVisible();
  await composer.locator('[data-testid=variant-tab][data-account-id="0"]').click();
  await expect(composer.locator(`[data-testid=limit-counter][data-account-id="${igId}"]`)).toHaveAttribute('data-level', 'ok');

  await page.getByTestId('save-draft').click();
  await expect(composer).toBeHidden();
  const post = (await clientPosts()).find((p) => p.text === 'Pan recién hecho #SolBakery');
  expect(post, 'the draft was saved').toBeTruthy();
  expect(post!.status).toBe('draft');
  expect(post!.local).toBe(`${isoDay(1)}T10:00`);
  const byAccount = Object.fromEntries(post!.variants.map((v) => [v.accountId, v.text]));
  expect(byAccount[xId]).toBe('x'.repeat(281));
  expect(byAccount[igId]).toBe(''); // "" = the base text
  // Exactly one post: autosave and Save draft updated the same one.
  expect((await clientPosts()).filter((p) => p.text === 'Pan recién hecho #SolBakery')).toHaveLength(1);
});

test('a hashtag set goes in at the cursor; guidelines warn live', async () => {
  await page.evaluate(
    async (clientId) => {
      await (window as unknown as GoWindow).go.app.PlanningService.SaveHashtagSet({ id: 0, clientId, name: 'Verano', tags: '#verano #pan' });
    },
    clientId,
  );
  const composer = await newPost([igId], isoDay(2), '11:00');
  const text = page.locator('#post-text');
  await text.fill('Hola mundo');
  await text.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(4, 4)); // after "Hola"
  await composer.locator('[data-testid=hashtag-set]').filter({ hasText: 'Verano' }).click();
  await expect(text).toHaveValue('Hola #verano #pan mundo');

  // Guidelines beside the text: a required tag is missing, then a banned word appears.
  await expect(composer.getByTestId('guidelines')).toContainText('Cercano y alegre');
  await expect(composer.locator('[data-testid=guideline-warning][data-kind="guidelines.missing"]')).toContainText('#SolBakery');
  await text.fill('Hola #SolBakery, pan barato');
  await expect(composer.locator('[data-testid=guideline-warning][data-kind="guidelines.missing"]')).toHaveCount(0);
  await expect(composer.locator('[data-testid=guideline-warning][data-kind="guidelines.banned"]')).toContainText('barato');
  await text.fill('Hola #SolBakery');
  await expect(composer.getByTestId('guidelines-ok')).toBeVisible();

  // The preview shows the account and the coloured hashtag.
  const preview = composer.getByTestId('preview');
  await expect(preview).toHaveAttribute('data-network', 'instagram');
  await expect(preview.locator('.tag')).toHaveText('#SolBakery');
  await closeComposer();
});

test('Add to queue puts two posts in the next two free slots', async () => {
  // Every day at 07:17 and 21:43 (odd times no other post uses).
  await page.evaluate(
    async (xId) => {
      const slots = [];
      for (let wd = 0; wd < 7; wd++) slots.push({ accountId: xId, weekday: wd, time: '07:17' }, { accountId: xId, weekday: wd, time: '21:43' });
      await (window as unknown as GoWindow).go.app.PlanningService.SetSlots(xId, slots);
    },
    xId,
  );
  const now = nowLocal();
  const expected: string[] = [];
  for (let d = 0; expected.length < 2; d++) {
    for (const t of ['07:17', '21:43']) {
      const at = `${isoDay(d)}T${t}`;
      if (at > now && expected.length < 2) expected.push(at);
    }
  }
  for (const [i, words] of ['Cola uno', 'Cola dos'].entries()) {
    const composer = await newPost([xId], isoDay(3), '12:00');
    await page.locator('#post-text').fill(`${words} #SolBakery`);
    await page.getByTestId('add-to-queue').click();
    await expect(composer).toBeHidden();
    await expect(page.getByTestId('toast').last()).toBeVisible();
    const post = (await clientPosts()).find((p) => p.text === `${words} #SolBakery`);
    expect(post, `${words} was queued`).toBeTruthy();
    expect(post!.status).toBe('scheduled');
    expect(post!.local, `${words} in slot ${i + 1}`).toBe(expected[i]);
  }
});

test('autosave: typed text survives a reload', async () => {
  const composer = await newPost([igId], isoDay(4), '16:00');
  const words = `Autoguardado ${Date.now()}`;
  await page.locator('#post-text').pressSequentially(words, { delay: 15 });
  await page.waitForTimeout(1500);
  await expect(composer.getByTestId('autosave-status')).toHaveAttribute('data-state', 'saved');
  await page.reload(); // no close, no explicit save
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  const post = (await clientPosts()).find((p) => p.text === words);
  expect(post, 'the autosaved post').toBeTruthy();
  expect(post!.status).toBe('draft');
  expect(post!.local).toBe(`${isoDay(4)}T16:00`);

  // And it opens with the text in the composer.
  await page.getByTestId('view-week').click();
  const chip = page.locator(`[data-testid=post-chip][data-post-id="${post!.id}"]`);
  if (!(await chip.isVisible())) await page.getByTestId('cal-next').click();
  await chip.click();
  await expect(page.locator('#post-text')).toHaveValue(words);
  await closeComposer();
});

test('a paste loses NUL and broken characters, with a notice', async () => {
  const composer = await newPost([igId], isoDay(5), '09:00');
  const text = page.locator('#post-text');
  await text.focus();
  await text.evaluate((el: HTMLTextAreaElement) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', 'pan\u0000 de \ud800masa');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await expect(text).toHaveValue('pan de masa');
  await expect(page.getByTestId('toast').filter({ hasText: '2' }).last()).toBeVisible();
  await expect(composer).toBeVisible();
  await closeComposer();
});

test('a 1 MB paste is kept, shown as too long, and not saved', async () => {
  const composer = await newPost([igId], isoDay(5), '09:30');
  const text = page.locator('#post-text');
  await text.fill('Pegado enorme ' + 'ñ'.repeat(500_000)); // about 1 MB of UTF-8
  await expect(composer.getByTestId('text-too-long')).toBeVisible();
  await expect(composer.locator(`[data-testid=limit-counter][data-account-id="${igId}"]`)).toHaveAttribute('data-level', 'over');
  await expect(page.getByTestId('save-scheduled')).toBeDisabled();
  await expect(composer.getByTestId('autosave-status')).toHaveAttribute('data-state', 'blocked', { timeout: 5_000 });
  // An explicit Save draft gets Go's refusal inline, and the text stays.
  await page.getByTestId('save-draft').click();
  await expect(composer.getByTestId('composer-error')).toBeVisible();
  expect(await text.evaluate((el: HTMLTextAreaElement) => el.value.length)).toBe(14 + 500_000);
  await text.fill('Ya no tan largo');
  await expect(composer.getByTestId('text-too-long')).toHaveCount(0);
  await closeComposer();
});

test('duplicate a post to another day opens the copy', async () => {
  const source = (await clientPosts()).find((p) => p.text === 'Pan recién hecho #SolBakery');
  expect(source).toBeTruthy();
  // The list (not the week, where a busy hour of the shared e2e workspace
  // folds into "+N") shows every post of the range.
  await page.getByTestId('view-list').click();
  await page.getByTestId('cal-today').click();
  // It is tomorrow's: always in the list's 30 days from today. Waited for,
  // not looked at once (the range may still be loading).
  const chip = page.locator(`[data-testid=post-chip][data-post-id="${source!.id}"]`);
  await expect(chip).toBeVisible();
  await chip.click();
  const composer = page.getByTestId('composer');
  await expect(page.locator('#post-text')).toHaveValue('Pan recién hecho #SolBakery');
  await page.getByTestId('duplicate').click();
  await page.locator('#dup-date').fill(isoDay(6));
  await page.locator('#dup-time').fill('18:30');
  await page.getByTestId('duplicate-confirm').click();
  // The copy opens in the composer.
  await expect(composer).toBeVisible();
  await expect(page.locator('#post-date')).toHaveValue(dmy(isoDay(6)));
  await expect(page.locator('#post-time')).toHaveValue('18:30');
  await expect(page.locator('#post-text')).toHaveValue('Pan recién hecho #SolBakery');
  await closeComposer();
  const copies = (await clientPosts()).filter((p) => p.text === 'Pan recién hecho #SolBakery');
  expect(copies.map((p) => p.local).sort()).toEqual([`${isoDay(1)}T10:00`, `${isoDay(6)}T18:30`]);
});

test('save as template: a name is asked for, then the template is offered in the next post', async () => {
  const composer = await newPost([igId], isoDay(3), '12:00');
  await page.locator('#post-text').fill('Plantilla de pan del día');
  await page.getByTestId('save-template').click();
  const panel = composer.getByTestId('template-panel');
  await expect(page.locator('#composer-template-name')).toBeFocused();
  await panel.getByTestId('template-save').click();
  await expect(panel.getByTestId('panel-error')).toBeVisible(); // no name yet
  await expect(page.locator('#composer-template-name')).toHaveAttribute('aria-invalid', 'true');
  await page.locator('#composer-template-name').fill('Pan del día');
  await page.locator('#composer-template-name').press('Enter'); // the post is saved first, then the template
  await expect(panel).toHaveCount(0);
  await closeComposer();

  const next = await newPost([igId], isoDay(3), '13:00');
  await next.getByTestId('template-pick').selectOption({ label: 'Pan del día' });
  await expect(page.locator('#post-text')).toHaveValue('Plantilla de pan del día');
  await closeComposer();
});

test('the composer threw no uncaught errors', async () => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});
