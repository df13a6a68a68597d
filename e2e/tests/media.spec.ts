// End-to-end: the media library of issue 5. Images are imported through the
// Go API (window.go.app.MediaService.Import, the same call the Wails file
// drop makes) from PNGs this test writes to the temp folder; then the UI
// shows the thumbnail (served by Go at /media/thumb/…), alt text is set,
// and moving the focal point re-renders the previews.
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discPNG as png } from '../lib/png';

const CLIENT = 'E2E Media';

let page: Page;
const pageErrors: string[] = [];
let clientId = 0;
let dir = '';
let photo = '';
let broken = '';

type GoWindow = {
  go: {
    app: {
      ClientService: {
        Save(c: object): Promise<{ id: number }>;
        AddAccount(a: object): Promise<{ id: number }>;
      };
      MediaService: {
        Import(clientId: number, paths: string[]): Promise<Report>;
      };
    };
  };
};
interface Report {
  imported: number;
  duplicates: number;
  failed: number;
  results: { status: string; name: string; error?: { key: string } }[];
}

async function importFiles(paths: string[]): Promise<Report> {
  return page.evaluate(({ id, paths }) => (window as unknown as GoWindow).go.app.MediaService.Import(id, paths), { id: clientId, paths });
}

test.beforeAll(async ({ browser }) => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pauta-e2e-media-'));
  photo = path.join(dir, 'terraza-verano.png');
  fs.writeFileSync(photo, png(900, 600, 700, 150));
  broken = path.join(dir, 'cortada.png');
  fs.writeFileSync(broken, png(300, 200, 150, 100).subarray(0, 120));

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
  clientId = await page.evaluate(async (name) => {
    const go = (window as unknown as GoWindow).go.app;
    const c = await go.ClientService.Save({ id: 0, name, color: '#1c7ed6', timeZone: 'Europe/Madrid', language: 'es', guidelines: '', bannedWords: [], requiredTags: [] });
    await go.ClientService.AddAccount({ clientId: c.id, network: 'instagram', handle: '@terraza', displayName: 'Terraza' });
    await go.ClientService.AddAccount({ clientId: c.id, network: 'x', handle: '@terraza_x', displayName: 'Terraza' });
    return c.id;
  }, CLIENT);
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

test('import: a good file lands once, a truncated one is refused with its reason', async () => {
  const rep = await importFiles([photo, broken]);
  expect(rep.imported).toBe(1);
  expect(rep.failed).toBe(1);
  expect(rep.results[1].error?.key).toBe('media.corrupt');
  const again = await importFiles([photo]);
  expect(again.duplicates).toBe(1);

  await page.getByTestId('open-media').click();
  const lib = page.getByTestId('media-library');
  await expect(lib).toBeVisible();
  await lib.getByTestId('media-client').selectOption(String(clientId));
  const item = lib.getByTestId('media-item');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('terraza-verano.png');
  await expect(item).toHaveAttribute('data-alt-missing', 'true');
  await expect(item.getByTestId('alt-missing')).toBeVisible();
  // The thumbnail is a real image served by Go, not a broken link.
  const thumb = item.getByTestId('media-thumb');
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  expect(await thumb.getAttribute('src')).toMatch(/^\/media\/thumb\/\d+\?v=[0-9a-f]{12}$/);
});

test('alt text: the warning goes once a description is saved', async () => {
  const lib = page.getByTestId('media-library');
  await lib.getByTestId('media-thumb').click();
  const detail = page.getByTestId('media-detail');
  await expect(detail.getByTestId('media-alt-warning')).toBeVisible();
  await detail.locator('#media-alt').fill('Terraza al atardecer con una sombrilla roja');
  await detail.getByTestId('media-alt-save').click();
  await expect(detail.getByTestId('media-alt-warning')).toBeHidden();
  await detail.getByTestId('media-back').click();
  await expect(lib.getByTestId('media-item')).toHaveAttribute('data-alt-missing', 'false');
});

test('focal point: a click and the arrow keys move it, and the previews follow', async () => {
  const lib = page.getByTestId('media-library');
  await lib.getByTestId('media-thumb').click();
  const previews = page.getByTestId('media-previews');
  await expect(previews).toHaveAttribute('data-fresh', 'true', { timeout: 30_000 });
  // Instagram (4 presets) and X (2).
  await expect(previews.getByTestId('media-preview')).toHaveCount(6);
  const square = previews.locator('[data-preset-id="instagram.square"] img');
  const before = await square.getAttribute('src');
  expect(before).toContain('f=0.500,0.500');

  const editor = page.getByTestId('focal-editor');
  const box = (await editor.boundingBox())!;
  // The 900×600 picture is letterboxed in the editor: click at 80 % across, mid-height.
  const drawnW = Math.min(box.width, (box.height * 900) / 600);
  await page.mouse.click(box.x + (box.width - drawnW) / 2 + drawnW * 0.8, box.y + box.height / 2);
  await expect.poll(async () => Number(await editor.getAttribute('data-focal-x'))).toBeCloseTo(0.8, 1);
  await expect(previews).toHaveAttribute('data-fresh', 'true', { timeout: 30_000 });
  await expect(square).not.toHaveAttribute('src', before!);
  expect(await square.getAttribute('src')).toMatch(/f=0\.(79|80|81)\d,0\.5\d\d/);
  await expect.poll(() => square.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1080);

  const x0 = Number(await editor.getAttribute('data-focal-x'));
  await editor.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await expect.poll(async () => Number(await editor.getAttribute('data-focal-x'))).toBeCloseTo(x0 - 0.11, 3);
  await expect(previews).toHaveAttribute('data-fresh', 'true', { timeout: 30_000 });
  expect(pageErrors).toEqual([]);
});
