// The WebKitGTK pass: Playwright's runner, but the browser is WebKitGTK itself
// (WebKitWebDriver + MiniBrowser, the engine of Pauta's window) driven over
// W3C WebDriver by e2e/lib/webdriver.ts. Run with
//   bash e2e/run.sh --config playwright.webkit.config.ts
// (E2E_OUT_NAME=webkit keeps its results apart from the Chromium run's).
import { defineConfig } from '@playwright/test';

const results = process.env.E2E_RESULTS ?? '../test-results/webkit';

export default defineConfig({
  testDir: './webkit',
  outputDir: `${results}/artifacts`,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 300_000,
  reporter: [
    ['list'],
    ['json', { outputFile: `${results}/report.json` }],
    ['junit', { outputFile: `${results}/junit.xml` }],
  ],
  use: { baseURL: process.env.E2E_BASE_URL ?? 'http://localhost:34115' },
});
