// End-to-end: issue 16 items 9 and 10. A new post starts with the client's
// accounts ticked; "none"/"all"; the last choice is remembered for the next
// new post of the client (in the workspace, through Go); an account added
// from the composer comes ticked; an Instagram-only first comment does not
// go to LinkedIn or X (checked in the reopened post and through Go).
import { test, expect, type Page } from '@playwright/test';

const CLIENT = 'E2E Cuentas por cliente';
const ZONE = 'Europe/Madrid';

let page: Page;
let clientId = 0;
let igId = 0;
let liId = 0;
let xId = 0;

type GoWindow = {
  go: {
    app: {
      ClientService: {
        Save(c: object): Promise<{ id: number }>;
        AddAccount(a: object): Promise<{ id: number }>;
        AccountChoice(clientId: number): Promise<number[]>;
      };
      PostService: {
        List(q: object): Promise<PostView[]>;
      };
      PlanningService: {
        SaveHashtagSet(h: object): Promise<{ id: number }>;
        SaveTemplate(t: object): Promise<{ id: number }>;
      };
    };
  };
};
interface PostView {
  id: number;
  text: string;
  variants: { accountId: number; firstComment: string }[];
}

function isoDay(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
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
      const c = await go.ClientService.Save({ id: 0, name, color: '#0b7285', timeZone: zone, language: 'es', guidelines: '', bannedWords: [], requiredTags: [] });
      const ig = await go.ClientService.AddAccount({ clientId: c.id, network: 'instagram', handle: '@acc_ig', displayName: '' });
      const li = await go.ClientService.AddAccount({ clientId: c.id, network: 'linkedin', handle: 'acc-li', displayName: '' });
      const x = await go.ClientService.AddAccount({ clientId: c.id, network: 'x', handle: '@acc_x', displayName: '' });
      return { client: c.id, ig: ig.id, li: li.id, x: x.id };
    },
    { name: CLIENT, zone: ZONE },
  );
  ({ client: clientId, ig: igId, li: liId, x: xId } = ids);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
});

test.afterAll(async () => {
  await page?.close();
});

async function openNew() {
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
  if (!(await composer.isVisible())) return; // Save draft closes it
  await page.getByTestId('composer-close').click();
  await expect.poll(async () => (await confirm.isVisible()) || !(await composer.isVisible())).toBe(true);
  if (await confirm.isVisible()) await confirm.click();
  await expect(composer).toBeHidden();
}

const box = (id: number) => page.locator(`[data-testid=composer-account][data-account-id="${id}"]`);

test('accounts preselected, none/all, remembered; an Instagram-only first comment', async () => {
  const composer = await openNew();
  for (const id of [igId, liId, xId]) await expect(box(id)).toBeChecked();
  await composer.getByTestId('composer-accounts-none').click();
  for (const id of [igId, liId, xId]) await expect(box(id)).not.toBeChecked();
  await composer.getByTestId('composer-accounts-all').click();
  for (const id of [igId, liId, xId]) await expect(box(id)).toBeChecked();

  // Networks differ: one first comment per account by default.
  await expect(composer.getByTestId('comment-same-for-all')).not.toBeChecked();
  await box(xId).uncheck();
  await page.locator('#post-text').fill('CA-1 Pan de masa madre recién hecho');
  // Far from the other specs' posts (a week slot shows a few chips, then "+N more").
  await page.locator('#post-date').fill(isoDay(16));
  await page.locator('#post-time').fill('10:00');
  await composer.locator(`[data-testid=account-first-comment][data-account-id="${igId}"]`).fill('#pan #masamadre');
  await page.getByTestId('save-draft').click();
  await expect(composer).toBeHidden();
  await expect.poll(() => page.evaluate((id) => (window as unknown as GoWindow).go.app.ClientService.AccountChoice(id), clientId)).toEqual([igId, liId]);
  await closeComposer();

  // Through Go: Instagram has its comment, LinkedIn none.
  const post = await page.evaluate(async (id: { clientId: number; from: string; to: string }) => {
    const ps = await (window as unknown as GoWindow).go.app.PostService.List({ clientId: id.clientId, from: id.from, to: id.to, ideas: true });
    return (ps ?? []).find((p) => p.text === 'CA-1 Pan de masa madre recién hecho');
  }, { clientId, from: isoDay(-1), to: isoDay(40) });
  expect(post).toBeTruthy();
  const byAcc = Object.fromEntries(post!.variants.map((v) => [v.accountId, v.firstComment]));
  expect(byAcc).toEqual({ [igId]: '#pan #masamadre', [liId]: '' });

  // The post reopened: LinkedIn's first comment field is empty.
  const chip = page.getByTestId('post-chip').filter({ hasText: 'CA-1 Pan' }).first();
  await page.getByTestId('view-month').click();
  await page.getByTestId('cal-today').click();
  if (!(await chip.isVisible())) await page.getByTestId('cal-next').click();
  await chip.click();
  const reopened = page.getByTestId('composer');
  await expect(reopened).toBeVisible();
  await expect(reopened.locator(`[data-testid=account-first-comment][data-account-id="${igId}"]`)).toHaveValue('#pan #masamadre');
  await expect(reopened.locator(`[data-testid=account-first-comment][data-account-id="${liId}"]`)).toHaveValue('');
  await closeComposer();

  // The next new post starts with the remembered choice.
  await openNew();
  await expect(box(igId)).toBeChecked();
  await expect(box(liId)).toBeChecked();
  await expect(box(xId)).not.toBeChecked();

  // An account added from the composer comes ticked.
  await page.getByTestId('composer-add-account').click();
  await page.getByTestId('composer-add-network').selectOption('bluesky');
  await page.getByTestId('composer-add-handle').fill('acc.bsky.social');
  await page.getByTestId('composer-add-save').click();
  await expect(page.getByTestId('composer-account')).toHaveCount(4);
  await expect(page.locator('label', { hasText: 'acc.bsky.social' }).getByTestId('composer-account')).toBeChecked();
  await closeComposer();
});

// Hashtag sets and templates with one first comment per account: a set goes
// into the account's comment being typed in, a template fills each chosen
// account's comment (and the base text), and the comments are saved so.
test('with a first comment per account, hashtag sets and templates fill the account comments', async () => {
  await page.evaluate(async (id) => {
    const go = (window as unknown as GoWindow).go.app;
    await go.PlanningService.SaveHashtagSet({ id: 0, clientId: id, name: 'Hornada', tags: '#hornada #pan' });
    await go.PlanningService.SaveTemplate({ id: 0, clientId: id, name: 'Receta', text: 'CA-3 La receta del día', firstComment: '#receta', labels: [] });
  }, clientId);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  const composer = await openNew();
  await composer.getByTestId('composer-accounts-all').click();
  await expect(composer.getByTestId('comment-same-for-all')).not.toBeChecked();

  // A template: the base text, and every chosen account's comment.
  await composer.getByTestId('template-pick').selectOption({ label: 'Receta' });
  await expect(page.locator('#post-text')).toHaveValue('CA-3 La receta del día');
  const comment = (id: number) => composer.locator(`[data-testid=account-first-comment][data-account-id="${id}"]`);
  for (const id of [igId, liId]) await expect(comment(id)).toHaveValue('#receta');

  // A hashtag set goes in at the cursor of the account comment typed in, not the text.
  await comment(liId).fill('Hoy: ');
  await comment(liId).evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(5, 5));
  await composer.locator('[data-testid=hashtag-set]').filter({ hasText: 'Hornada' }).click();
  await expect(comment(liId)).toHaveValue('Hoy: #hornada #pan');
  await expect(comment(igId)).toHaveValue('#receta');
  // A paste into an account's comment loses what Go refuses, as in the text.
  await comment(igId).evaluate((el: HTMLTextAreaElement) => {
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
    const dt = new DataTransfer();
    dt.setData('text/plain', ' #mas\u0000a');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await expect(comment(igId)).toHaveValue('#receta #masa');
  await expect(page.locator('#post-text')).toHaveValue('CA-3 La receta del día');

  await page.locator('#post-date').fill(isoDay(17));
  await page.locator('#post-time').fill('10:00');
  await page.getByTestId('save-draft').click();
  await expect(composer).toBeHidden();
  const post = await page.evaluate(async (q: { clientId: number; from: string; to: string }) => {
    const ps = await (window as unknown as GoWindow).go.app.PostService.List({ clientId: q.clientId, from: q.from, to: q.to, ideas: true });
    return (ps ?? []).find((p) => p.text === 'CA-3 La receta del día');
  }, { clientId, from: isoDay(-1), to: isoDay(40) });
  expect(post).toBeTruthy();
  const byAcc = Object.fromEntries(post!.variants.map((v) => [v.accountId, v.firstComment]));
  expect(byAcc[igId]).toBe('#receta #masa');
  expect(byAcc[liId]).toBe('Hoy: #hornada #pan');
});
