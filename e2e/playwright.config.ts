// Playwright drives Debian's Chromium (/usr/bin/chromium) against the page that
// `wails dev` serves on :34115 — real Go bindings over its websocket. Browsers
// are never downloaded. Start everything with `bash e2e/run.sh` (or `make e2e`).
import { defineConfig } from '@playwright/test';

const results = process.env.E2E_RESULTS ?? '../test-results/e2e';

export default defineConfig({
  testDir: './tests',
  outputDir: `${results}/artifacts`,
  fullyParallel: false,
  workers: 1, // one app, one workspace: the tests build on each other
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    ['json', { outputFile: `${results}/report.json` }],
    ['junit', { outputFile: `${results}/junit.xml` }],
  ],
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://localhost:34115',
    viewport: { width: 1280, height: 820 },
    locale: 'en-GB',
    timezoneId: 'Europe/Madrid',
    actionTimeout: 15_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
