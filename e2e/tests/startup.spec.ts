// Start-up (issue 18): the page the app serves carries the first screen's
// data (app/firstscreen.go), read once by the app before it mounts — also
// under `wails dev`, where the page comes from Vite through the same
// asset-server middleware.
import { test, expect } from '@playwright/test';

test('the served page carries the first screen; the app takes it out and paints from it', async ({ page, request }) => {
  const res = await request.get('/');
  expect(res.ok()).toBe(true);
  expect(res.headers()['cache-control']).toBe('no-store'); // read at each load: never cached
  const html = await res.text();
  const m = html.match(/<script type="application\/json" id="pauta-first-screen">(.*?)<\/script>/s);
  expect(m, 'no first-screen data block in the page').not.toBeNull();
  const first = JSON.parse(m![1]);
  expect(typeof first.settings.firstRun).toBe('boolean');
  expect(Array.isArray(first.workspace.clients)).toBe(true);
  expect(first.networks.length).toBeGreaterThan(0);

  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  await expect(page.locator('#pauta-first-screen')).toHaveCount(0);
  if (first.settings.firstRun) return;
  // The sidebar lists the clients the page carried.
  const active = first.workspace.clients.filter((c: { archived: boolean }) => !c.archived);
  await expect(page.getByTestId('client-item')).toHaveCount(active.length);
  // The month it carried is the one shown, and its posts are on it.
  expect(first.calendar).toBeTruthy();
  await expect(page.locator(`[data-testid=day-cell][data-date="${first.calendar.from}"]`)).toHaveCount(1);
  await expect(page.locator(`[data-testid=day-cell][data-date="${first.calendar.to}"]`)).toHaveCount(1);
  const post = first.calendar.posts.find((p: { local: string }) => p.local);
  if (post) {
    await expect(page.locator(`[data-testid=day-cell][data-date="${post.local.slice(0, 10)}"]`)).toBeVisible();
    const chips = page.locator(`[data-testid=day-cell][data-date="${post.local.slice(0, 10)}"] [data-testid=post-chip]`);
    expect(await chips.count()).toBeGreaterThan(0);
  }
});
