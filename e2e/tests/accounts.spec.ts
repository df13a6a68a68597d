// End-to-end: a client's accounts (manual and connected), posting slots,
// brand lists, hashtag sets and templates, and the .ics export dialog, through
// the selectors of frontend/TESTING.md. Connecting Mastodon talks to a fake
// instance served from this test process on 127.0.0.1 (http is allowed there);
// the Go side stores the token in the keychain that e2e/run.sh provides.
import { test, expect, type Page } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { en } from '../../frontend/src/lib/i18n/catalog/en';
import { es } from '../../frontend/src/lib/i18n/catalog/es';
import { it as italian } from '../../frontend/src/lib/i18n/catalog/it';

const CLIENT = 'E2E Accounts';
const TOKEN = 'e2e-secret-token-1';
const catalogs = { en, es, it: italian } as const;

let page: Page;
const pageErrors: string[] = [];

// --- a fake Mastodon instance (like app/connect_test.go's fakeMastodon) ---
let validToken = TOKEN;
let server: http.Server;
let instanceUrl = '';

test.beforeAll(async ({ browser }) => {
  server = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/api/v2/instance') {
      res.end(JSON.stringify({
        domain: 'masto.test', title: 'Masto', version: '4.3.0',
        configuration: {
          statuses: { max_characters: 1000, max_media_attachments: 4, characters_reserved_per_url: 23 },
          media_attachments: { image_size_limit: 16777216, image_matrix_limit: 33177600, supported_mime_types: ['image/jpeg', 'image/png'], description_limit: 1500 },
        },
      }));
    } else if (req.url === '/api/v1/accounts/verify_credentials') {
      if (req.headers.authorization !== `Bearer ${validToken}`) {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: 'The access token is invalid' }));
        return;
      }
      res.end(JSON.stringify({ id: '109', username: 'studiobrera', acct: 'studiobrera', display_name: 'Studio Brera', url: 'https://masto.test/@studiobrera' }));
    } else {
      res.statusCode = 404;
      res.end('{"error":"not found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  instanceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

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
});

test.afterAll(async () => {
  await page?.close();
  await new Promise((resolve) => server?.close(resolve));
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) {
    await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
  }
});

/** The catalogue of the UI language the page shows. */
async function catalog() {
  const lang = ((await page.locator('html').getAttribute('lang')) ?? 'en') as keyof typeof catalogs;
  return catalogs[lang] ?? en;
}

async function openClient() {
  const dialog = page.getByTestId('client-dialog');
  if (await dialog.isVisible()) return dialog;
  const item = page.getByTestId('client-item').filter({ hasText: CLIENT });
  await item.hover();
  await item.getByTestId('client-edit').click();
  await expect(page.locator('#client-name')).toHaveValue(CLIENT);
  return dialog;
}

async function closeClient() {
  await page.getByTestId('client-cancel').click();
  await expect(page.getByTestId('client-dialog')).toBeHidden();
}

function account(handle: string) {
  return page.getByTestId('account-item').filter({ hasText: handle });
}

test('create a client with brand lists as chips', async () => {
  await page.getByTestId('new-client').click();
  await page.locator('#client-name').fill(CLIENT);
  await page.locator('#client-zone').selectOption('Europe/Rome');
  await page.locator('#client-language').selectOption('it');
  await page.locator('#client-banned').fill('economico');
  await page.locator('#client-banned').press('Enter');
  await page.locator('#client-banned').fill('low cost, offertissima');
  await page.locator('#client-banned').press('Enter');
  await page.locator('#client-tags').fill('#brera'); // left typed: added on save
  await page.getByTestId('client-save').click();
  const item = page.getByTestId('client-item').filter({ hasText: CLIENT });
  await expect(item).toHaveCount(1);
  if (await page.getByTestId('client-dialog').isVisible()) await closeClient();

  await openClient();
  await expect(page.getByTestId('client-banned-chips').getByTestId('chip')).toHaveText(['economico', 'low cost', 'offertissima']);
  await expect(page.getByTestId('client-tags-chips').getByTestId('chip')).toHaveText(['#brera']);
  await closeClient();
});

test('posting slots of an account survive reopening the dialog', async () => {
  await openClient();
  await page.locator('#account-network').selectOption('instagram');
  await expect(page.getByTestId('manual-note')).toBeVisible();
  await page.locator('#account-handle').fill('@brera.ig');
  await page.getByTestId('account-add').click();
  const row = account('@brera.ig');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-connection', 'manual');

  await row.getByTestId('account-slots').click();
  const editor = row.getByTestId('slots-editor');
  await expect(editor).toBeVisible();
  await expect(editor).toContainText('Europe/Rome');
  await editor.getByTestId('slot-preset').click(); // Mon–Fri 09:30, 13:00, 19:00
  await expect(editor.getByTestId('slot-chip')).toHaveCount(15);
  // Remove Wednesday 13:00, add Saturday 10:15 only.
  await editor.locator('[data-testid=slot-chip][data-weekday="2"][data-time="13:00"] button').click();
  for (const d of [0, 1, 2, 3, 4]) await editor.locator(`[data-testid=slot-day-toggle][data-weekday="${d}"]`).click();
  await editor.locator('[data-testid=slot-day-toggle][data-weekday="5"]').click();
  await editor.getByTestId('slot-time').fill('25:00');
  await editor.getByTestId('slot-add').click();
  await expect(editor.getByTestId('field-error')).toBeVisible(); // not a time
  await editor.getByTestId('slot-time').fill('10.15');
  await editor.getByTestId('slot-time').press('Enter');
  await expect(editor.locator('[data-testid=slot-chip][data-weekday="5"][data-time="10:15"]')).toHaveCount(1);
  await expect(editor.getByTestId('slots-unsaved')).toBeVisible();
  await editor.getByTestId('slots-save').click();
  await expect(editor.getByTestId('slots-unsaved')).toBeHidden();
  await closeClient();

  await openClient();
  const again = account('@brera.ig');
  await again.getByTestId('account-slots').click();
  const chips = again.getByTestId('slots-editor').getByTestId('slot-chip');
  await expect(chips).toHaveCount(15);
  await expect(again.locator('[data-testid=slot-chip][data-weekday="2"][data-time="13:00"]')).toHaveCount(0);
  await expect(again.locator('[data-testid=slot-chip][data-weekday="5"][data-time="10:15"]')).toHaveCount(1);
  await closeClient();
});

test('create, rename and delete hashtag sets and templates', async () => {
  await openClient();
  await page.getByTestId('client-tab-library').click();
  await page.getByTestId('hashtag-set-new').click();
  await page.getByTestId('library-save').click(); // no name: refused inline
  await expect(page.getByTestId('hashtag-set-editor').getByTestId('field-error')).toBeVisible();
  await page.locator('#set-name').fill('Lancio');
  await page.locator('#set-tags').fill('#brera #design');
  await page.getByTestId('library-save').click();
  await expect(page.getByTestId('hashtag-set-item')).toHaveCount(1);
  await expect(page.getByTestId('hashtag-set-item')).toContainText('#brera #design');

  await page.getByTestId('hashtag-set-item').getByTestId('library-edit').click();
  await page.locator('#set-name').fill('Lancio autunno');
  await page.locator('#set-name').press('Enter');
  await expect(page.getByTestId('hashtag-set-item')).toContainText('Lancio autunno');

  await page.getByTestId('template-new').click();
  await page.locator('#template-name').fill('Novità');
  await page.locator('#template-text').fill('Nuova collezione in negozio da sabato.');
  await page.locator('#template-labels').fill('lancio, negozio');
  await page.getByTestId('library-save').click();
  await expect(page.getByTestId('template-item')).toHaveCount(1);
  await page.getByTestId('template-new').click();
  await page.locator('#template-name').fill('Da cancellare');
  await page.getByTestId('library-save').click();
  await expect(page.getByTestId('template-item')).toHaveCount(2);
  await page.getByTestId('template-item').filter({ hasText: 'Da cancellare' }).getByTestId('library-delete').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('template-item')).toHaveCount(1);
  await closeClient();

  await openClient();
  await page.getByTestId('client-tab-library').click();
  await expect(page.getByTestId('hashtag-set-item')).toContainText('Lancio autunno');
  await expect(page.getByTestId('template-item')).toContainText('Novità');
  await closeClient();
});

test('connect a Mastodon account, check it, reconnect it, remove it', async () => {
  const cat = await catalog();
  await openClient();
  await page.locator('#account-network').selectOption('mastodon');
  const form = page.getByTestId('connect-form');
  await expect(form).toBeVisible();
  await expect(page.locator('#connect-token')).toHaveAttribute('type', 'password');
  await expect(form).toContainText('write:statuses');

  // A wrong token: the error sits on the token field, nothing is stored.
  await page.locator('#connect-instanceUrl').fill(instanceUrl);
  await page.locator('#connect-token').fill('wrong');
  await page.getByTestId('connect-submit').click();
  await expect(page.locator('#connect-token')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByTestId('field-error')).toBeVisible();
  await expect(page.getByTestId('account-item').filter({ hasText: 'studiobrera' })).toHaveCount(0);

  await page.locator('#connect-token').fill(TOKEN);
  await page.getByTestId('connect-submit').click();
  await expect(page.getByTestId('connect-result')).toContainText('studiobrera');
  await expect(page.getByTestId('connect-result')).toContainText('1000');
  const row = account('studiobrera');
  await expect(row).toHaveAttribute('data-connection', 'connected');
  await expect(page.locator('#connect-token')).toHaveValue(''); // cleared
  expect(await page.content()).not.toContain(TOKEN); // never echoed

  // The instance revokes the token: Check marks the account "reconnect".
  validToken = 'e2e-secret-token-2';
  await row.getByTestId('account-check').click();
  await expect(row).toHaveAttribute('data-connection', 'reconnect');
  await expect(row.getByTestId('account-error')).toBeVisible();
  await row.getByTestId('account-reconnect').click();
  const id = await row.getAttribute('data-account-id');
  await expect(page.locator(`#reconnect-${id}-instanceUrl`)).toHaveValue(new RegExp(`^${instanceUrl}/?$`));
  await page.locator(`#reconnect-${id}-token`).fill(validToken);
  await page.locator(`#reconnect-${id}-token`).press('Enter');
  await expect(row).toHaveAttribute('data-connection', 'connected');
  await expect(page.getByTestId('account-item')).toHaveCount(2); // replaced, not added

  const handle = `@studiobrera@127.0.0.1:${new URL(instanceUrl).port}`;
  await expect(row).toContainText(handle);
  await row.getByTestId('account-remove').click();
  // Removing a connected account says its keychain entry goes too.
  await expect(page.getByTestId('confirm')).toContainText(
    cat.accounts.confirmRemoveConnected.replace('{handle}', handle).replace('{network}', cat.network.mastodon),
  );
  await page.getByTestId('confirm-ok').click();
  await expect(account('studiobrera')).toHaveCount(0);
  await closeClient();
});

test('the export dialog refuses a start after the end', async () => {
  const cat = await catalog();
  await page.getByTestId('export-ics').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  // Defaults: from the 1st of this month, a later end, 15 minutes.
  await expect(page.locator('#export-from')).toHaveValue(/^01\/\d{2}\/\d{4}$/);
  await expect(page.locator('#export-duration')).toHaveValue('15');
  await page.locator('#export-from').fill('2026-06-10');
  await page.locator('#export-to').fill('2026-06-01');
  await page.getByTestId('export-file').click();
  const expected = cat.err.ics.range_inverted.replace('{from}', '2026-06-10').replace('{to}', '2026-06-01');
  await expect(dialog.getByTestId('field-error')).toHaveText(expected);
  await expect(page.locator('#export-from')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog).toBeVisible(); // no save dialog, nothing written
  await page.locator('#export-duration').fill('0');
  await page.locator('#export-to').fill('2026-06-30');
  await page.getByTestId('export-folder').click();
  await expect(dialog.getByTestId('field-error')).toHaveText(cat.err.ics.duration_invalid);
  await dialog.getByRole('button', { name: cat.common.close }).click();
  await expect(dialog).toBeHidden();
});

test('the page threw no uncaught errors', async () => {
  expect(pageErrors).toEqual([]);
});
