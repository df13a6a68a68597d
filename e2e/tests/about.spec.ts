// End-to-end: Settings → About shows the version, the data folder and the
// licence notices generated at build time (issue 18), loaded when asked for.
import { test, expect } from '@playwright/test';
import { en } from '../../frontend/src/lib/i18n/catalog/en';

test('Settings → About lists the version, data folder and licence notices', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-empty').click();
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  }
  await page.evaluate(() => (window as unknown as { go: { app: { SettingsService: { SetLanguage(l: string): Promise<void> } } } }).go.app.SettingsService.SetLanguage('en'));
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });

  await page.getByTestId('open-settings').click();
  const dialog = page.getByTestId('settings');
  await expect(dialog.getByRole('heading', { name: en.about.title })).toBeVisible();
  await expect(dialog.getByTestId('settings-version')).not.toBeEmpty();
  await expect(dialog.getByTestId('settings-data-dir')).toContainText('/');

  // Not loaded until asked for.
  await expect(dialog.getByTestId('about-licences-list')).toHaveCount(0);
  await dialog.getByTestId('about-licences-toggle').click();
  const list = dialog.getByTestId('about-licences-list');
  await expect(list).toBeVisible();
  await expect(list.getByRole('heading', { name: en.about.goModules })).toBeVisible();
  const wails = list.getByTestId('about-notice').filter({ hasText: 'github.com/wailsapp/wails/v2' });
  await expect(wails).toContainText('MIT');
  await wails.locator('summary').click();
  await expect(wails.locator('pre')).toContainText('Permission is hereby granted');
  await expect(list.getByTestId('about-notice').filter({ hasText: 'Go standard library' })).toContainText('BSD-3-Clause');
  expect(await list.getByTestId('about-notice').count()).toBeGreaterThan(20);

  await dialog.getByTestId('about-licences-toggle').click();
  await expect(dialog.getByTestId('about-licences-list')).toHaveCount(0);
  await dialog.getByTestId('settings-close').click();
  await expect(dialog).toHaveCount(0);
});
