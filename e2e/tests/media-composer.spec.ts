// End-to-end: images in the composer (issue 5). PNGs this test writes are
// imported through the Go API (the call the Wails file drop makes); then in
// the composer: attach from the library picker (the new post is saved
// first), see the thumbnails, reorder, alt text inline, a size per network,
// reopen the post and find everything still attached; more images than
// Bluesky takes block Schedule until one is removed.
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rgbPNG } from '../lib/png';

const CLIENT = 'E2E Media Composer';
const ZONE = 'Europe/Madrid';

let page: Page;
const pageErrors: string[] = [];
let clientId = 0;
let igId = 0;
let bsId = 0;
let dir = '';
const mediaIds: number[] = [];
let postId = 0;

type GoWindow = {
  go: {
    app: {
      ClientService: {
        Save(c: object): Promise<{ id: number }>;
        AddAccount(a: object): Promise<{ id: number }>;
      };
      MediaService: {
        Import(clientId: number, paths: string[]): Promise<{ imported: number; results: { media?: { id: number } }[] }>;
        PostMedia(postId: number): Promise<{ mediaId: number; position: number; presets: Record<string, string> }[] | null>;
      };
      PostService: {
        List(q: object): Promise<{ id: number; text: string; status: string }[] | null>;
      };
    };
  };
};

/** A w×h RGB gradient tinted by `hue` (0..255), so every file differs. */
function png(w: number, h: number, hue: number): Buffer {
  return rgbPNG(w, h, (x, y) => [Math.round((255 * x) / w), Math.round((255 * y) / h), hue]);
}

/** YYYY-MM-DD of today + days in Madrid. */
function isoDay(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

async function postMedia(id: number) {
  return (await page.evaluate((id) => (window as unknown as GoWindow).go.app.MediaService.PostMedia(id), id)) ?? [];
}

test.beforeAll(async ({ browser }) => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pauta-e2e-cm-'));
  const files = ['uno', 'dos', 'tres', 'cuatro', 'cinco'].map((n, i) => {
    const p = path.join(dir, `${n}.png`);
    fs.writeFileSync(p, png(640 + i * 40, 480, 40 * i + 20));
    return p;
  });
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    const text = `${e.stack ?? e}`;
    if (/\/wails\/ipc\.js/.test(text) && /reading 'nodes'/.test(text)) return; // see pauta.spec.ts
    pageErrors.push(text);
  });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-empty').click();
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  }
  const ids = await page.evaluate(
    async ({ name, zone, files }) => {
      const go = (window as unknown as GoWindow).go.app;
      const c = await go.ClientService.Save({ id: 0, name, color: '#0b7285', timeZone: zone, language: 'es', guidelines: '', bannedWords: [], requiredTags: [] });
      const ig = await go.ClientService.AddAccount({ clientId: c.id, network: 'instagram', handle: '@cm_ig', displayName: 'CM' });
      const bs = await go.ClientService.AddAccount({ clientId: c.id, network: 'bluesky', handle: '@cm.test', displayName: 'CM' });
      const rep = await go.MediaService.Import(c.id, files);
      return { client: c.id, ig: ig.id, bs: bs.id, media: rep.results.map((r) => r.media?.id ?? 0) };
    },
    { name: CLIENT, zone: ZONE, files },
  );
  clientId = ids.client;
  igId = ids.ig;
  bsId = ids.bs;
  mediaIds.push(...ids.media);
  expect(mediaIds.every((id) => id > 0)).toBe(true);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
});

test.afterAll(async () => {
  await page?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) {
    await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
  }
});

/** Picks the images (by file name) in the composer's library picker. */
async function pick(names: string[]) {
  await page.getByTestId('composer-media-add').click();
  const picker = page.getByTestId('composer-media-picker');
  await expect(picker.getByTestId('media-picker')).toBeVisible();
  for (const n of names) await picker.getByTestId('media-item').filter({ hasText: n }).getByRole('button').first().click();
  await picker.getByTestId('media-pick-done').click();
  await expect(picker).toBeHidden();
}

test('attach images to a new post, reorder, alt text and a size per network; reopened, they are still there', async () => {
  await page.getByTestId('new-post').click();
  const composer = page.getByTestId('composer');
  await expect(composer).toBeVisible();
  const client = page.locator('#post-client');
  if (await client.isVisible()) await client.selectOption({ label: CLIENT });
  await composer.getByTestId('composer-accounts-none').click(); // new posts start with the client's accounts
  await composer.locator(`[data-testid=composer-account][data-account-id="${igId}"]`).check();
  await composer.locator(`[data-testid=composer-account][data-account-id="${bsId}"]`).check();
  await page.locator('#post-date').fill(isoDay(1));
  await page.locator('#post-time').fill('12:00');
  await page.locator('#post-text').fill('Terraza con fotos');

  // The post is saved first, then the picker opens.
  await pick(['uno.png', 'dos.png']);
  const items = composer.getByTestId('composer-media-item');
  await expect(items).toHaveCount(2);
  await expect(composer.getByTestId('composer-media')).toHaveAttribute('data-count', '2');
  const first = items.first().locator('img');
  await expect.poll(() => first.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  const posts = (await page.evaluate((q) => (window as unknown as GoWindow).go.app.PostService.List(q), { clientId, from: isoDay(0), to: isoDay(3), ideas: false })) ?? [];
  postId = posts.find((p) => p.text === 'Terraza con fotos')?.id ?? 0;
  expect(postId).toBeGreaterThan(0);
  await expect.poll(async () => (await postMedia(postId)).map((m) => m.mediaId)).toEqual([mediaIds[0], mediaIds[1]]);

  // Reorder with the button, then back with the keyboard.
  await items.first().getByTestId('composer-media-down').click();
  await expect(items.first()).toHaveAttribute('data-media-id', String(mediaIds[1]));
  await expect.poll(async () => (await postMedia(postId)).map((m) => m.mediaId)).toEqual([mediaIds[1], mediaIds[0]]);
  await items.nth(1).locator('.thumb').focus();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(items.first()).toHaveAttribute('data-media-id', String(mediaIds[0]));
  await expect.poll(async () => (await postMedia(postId)).map((m) => m.mediaId)).toEqual([mediaIds[0], mediaIds[1]]);

  // Alt text: warned, then written inline.
  await items.first().locator('.thumb').click();
  const detail = composer.getByTestId('composer-media-detail');
  await expect(detail).toHaveAttribute('data-media-id', String(mediaIds[0]));
  await expect(detail.getByTestId('composer-media-alt-warning')).toBeVisible();
  await detail.getByTestId('composer-media-alt').fill('Mesa en la terraza al mediodía');
  await detail.getByTestId('composer-media-alt-save').click();
  await expect(detail.getByTestId('composer-media-alt-warning')).toBeHidden();
  await expect(items.first()).toHaveAttribute('data-alt-missing', 'false');

  // Instagram: square instead of the default portrait; Bluesky has one size.
  const igCrop = detail.locator('[data-testid=composer-media-crop][data-network=instagram]');
  await expect(igCrop).toHaveAttribute('data-preset-id', 'instagram.portrait');
  await expect(detail.locator('[data-testid=composer-media-crop][data-network=bluesky]')).toHaveAttribute('data-preset-id', 'bluesky.original');
  await igCrop.getByTestId('composer-media-preset').selectOption('instagram.square');
  await expect(igCrop).toHaveAttribute('data-preset-id', 'instagram.square');
  await expect.poll(async () => (await postMedia(postId))[0]?.presets?.instagram).toBe('instagram.square');
  // The network preview shows the attached images (Bluesky: a grid of both).
  await composer.locator(`[data-testid=preview-tab][data-account-id="${bsId}"]`).click();
  await expect(composer.locator('[data-testid=preview][data-network=bluesky] [data-testid=preview-images]')).toHaveAttribute('data-count', '2');

  await page.getByTestId('save-draft').click();
  await expect(composer).toBeHidden();

  // Reopen: both images, in order, the alt text and the square size kept.
  const chip = page.locator(`[data-testid=post-chip][data-post-id="${postId}"]`).first();
  // Earlier specs may have left the calendar on another month or view: week of today, then the next.
  await page.getByTestId('view-week').click();
  await page.getByTestId('cal-today').click();
  if (!(await chip.isVisible())) await page.getByTestId('cal-next').click();
  await chip.click();
  await expect(composer).toBeVisible();
  await expect(items).toHaveCount(2);
  await expect(items.first()).toHaveAttribute('data-media-id', String(mediaIds[0]));
  await expect(items.first()).toHaveAttribute('data-alt-missing', 'false');
  await expect(detail.getByTestId('composer-media-alt')).toHaveValue('Mesa en la terraza al mediodía');
  await expect(detail.locator('[data-testid=composer-media-crop][data-network=instagram]')).toHaveAttribute('data-preset-id', 'instagram.square');
});

test('more images than Bluesky takes block Schedule until one is removed', async () => {
  const composer = page.getByTestId('composer');
  await expect(composer).toBeVisible();
  await pick(['tres.png', 'cuatro.png', 'cinco.png']);
  const items = composer.getByTestId('composer-media-item');
  await expect(items).toHaveCount(5);
  await expect(page.getByTestId('save-scheduled')).toBeDisabled();
  await expect(page.getByTestId('schedule-blocked')).toContainText('Bluesky');
  await expect(page.getByTestId('schedule-blocked')).toContainText('4');

  await items.last().getByTestId('composer-media-remove').click();
  await expect(items).toHaveCount(4);
  await expect(page.getByTestId('save-scheduled')).toBeEnabled();
  await page.getByTestId('save-scheduled').click();
  await expect(composer).toBeHidden();
  await expect.poll(async () => (await postMedia(postId)).length).toBe(4);
  expect(pageErrors).toEqual([]);
});
