// End-to-end: the outbox (issue 8). A Mastodon account connected to a fake
// instance served from this process; the instance goes away (offline), a post
// falls due and waits for the connection; the instance comes back on the same
// port and the post turns published. A manual network's post shows in the
// "Due now" panel: copy its text, mark it published with its link.
import { test, expect, type Page } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { en } from '../../frontend/src/lib/i18n/catalog/en';
import { es } from '../../frontend/src/lib/i18n/catalog/es';
import { it as italian } from '../../frontend/src/lib/i18n/catalog/it';

const CLIENT = 'E2E Outbox';
const ZONE = 'Europe/Madrid';
const TOKEN = 'e2e-outbox-token';
const MASTO_TEXT = 'Offline first, published when the network is back';
const IG_TEXT = 'Nuevo horario de invierno:\nabrimos a las 8 🥐';
const catalogs = { en, es, it: italian } as const;

type GoWindow = {
  go: {
    app: {
      ClientService: {
        Save(c: object): Promise<{ id: number }>;
        AddAccount(a: object): Promise<{ id: number }>;
      };
      ConnectService: { ConnectMastodon(i: object): Promise<{ id: number }> };
    };
  };
};

// The tests build on each other (one workspace, one fake instance).
test.describe.configure({ mode: 'serial' });

let page: Page;
const pageErrors: string[] = [];
let clientId = 0;
let mastoId = 0;
let igId = 0;

// --- a fake Mastodon instance that can go offline and come back on its port ---
let server: http.Server | null = null;
let port = 0;
const statuses: { status: string; key: string }[] = [];
// Scheduled on the server (POST /api/v1/statuses with scheduled_at).
const scheduled: { id: string; at: string; text: string; key: string }[] = [];
const cancelled: string[] = [];
const scheduledJSON = (s: { id: string; at: string; text: string }) => ({
  id: s.id,
  scheduled_at: s.at,
  params: { text: s.text, language: 'es', in_reply_to_id: null, media_ids: [], visibility: 'public' },
  media_attachments: [],
});

function handler(req: http.IncomingMessage, res: http.ServerResponse) {
  res.setHeader('Content-Type', 'application/json');
  const url = req.url ?? '';
  if (url === '/api/v2/instance') {
    res.end(JSON.stringify({
      domain: 'masto.test', title: 'Masto', version: '4.3.0',
      configuration: {
        statuses: { max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23 },
        media_attachments: { image_size_limit: 16777216, image_matrix_limit: 33177600, supported_mime_types: ['image/jpeg', 'image/png'], description_limit: 1500 },
      },
    }));
    return;
  }
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    res.statusCode = 401;
    res.end(JSON.stringify({ error: 'The access token is invalid' }));
    return;
  }
  if (url === '/api/v1/accounts/verify_credentials') {
    res.end(JSON.stringify({ id: '7', username: 'outbox', acct: 'outbox', display_name: 'Outbox', url: `http://127.0.0.1:${port}/@outbox` }));
    return;
  }
  if (url.startsWith('/api/v1/scheduled_statuses')) {
    const id = url.split('?')[0].split('/')[4] ?? '';
    const found = scheduled.find((x) => x.id === id);
    if (!id && req.method === 'GET') {
      res.end(JSON.stringify(scheduled.map(scheduledJSON)));
    } else if (!found) {
      res.statusCode = 404;
      res.end('{"error":"Record not found"}');
    } else if (req.method === 'DELETE') {
      scheduled.splice(scheduled.indexOf(found), 1);
      cancelled.push(found.id);
      res.end('{}');
    } else if (req.method === 'PUT') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const at = new URLSearchParams(body).get('scheduled_at') ?? (JSON.parse(body || '{}').scheduled_at as string);
        if (at) found.at = at;
        res.end(JSON.stringify(scheduledJSON(found)));
      });
    } else {
      res.end(JSON.stringify(scheduledJSON(found)));
    }
    return;
  }
  if (url.startsWith('/api/v1/accounts/7/statuses')) {
    res.end('[]');
    return;
  }
  if (url === '/api/v1/statuses' && req.method === 'POST') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const key = String(req.headers['idempotency-key'] ?? '');
      const at = form.get('scheduled_at');
      if (at) {
        // Server-side scheduling: the instance keeps it and publishes it at its time.
        let s = scheduled.find((x) => x.key === key);
        if (!s) {
          s = { id: String(500 + scheduled.length + cancelled.length), at, text: form.get('status') ?? '', key };
          scheduled.push(s);
        }
        res.end(JSON.stringify(scheduledJSON(s)));
        return;
      }
      if (!statuses.some((s) => s.key === key)) statuses.push({ status: form.get('status') ?? '', key });
      const id = String(9000 + statuses.length);
      res.end(JSON.stringify({ id, uri: `http://127.0.0.1:${port}/users/outbox/statuses/${id}`, url: `http://127.0.0.1:${port}/@outbox/${id}`, content: '' }));
    });
    return;
  }
  res.statusCode = 404;
  res.end('{"error":"not found"}');
}

async function startServer(onPort = 0) {
  server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(onPort, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
}

async function stopServer() {
  const s = server;
  server = null;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((resolve) => s.close(resolve));
}

function nowLocal(): { date: string; time: string } {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date())
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** The catalogue of the UI language the page shows. */
async function catalog() {
  const lang = ((await page.locator('html').getAttribute('lang')) ?? 'en') as keyof typeof catalogs;
  return catalogs[lang] ?? en;
}

test.beforeAll(async ({ browser }) => {
  await startServer();
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
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
  // A client with a Facebook account (manual; Instagram needs an image) and a Mastodon account
  // connected to the fake instance, through the Go API.
  const ids = await page.evaluate(
    async ({ name, zone, instanceUrl, token }) => {
      const go = (window as unknown as GoWindow).go.app;
      const c = await go.ClientService.Save({ id: 0, name, color: '#0f766e', timeZone: zone, language: 'es', guidelines: '', bannedWords: [], requiredTags: [] });
      const ig = await go.ClientService.AddAccount({ clientId: c.id, network: 'facebook', handle: '@outbox.ig', displayName: 'Outbox' });
      const m = await go.ConnectService.ConnectMastodon({ clientId: c.id, accountId: 0, instanceUrl, token });
      return { client: c.id, ig: ig.id, masto: m.id };
    },
    { name: CLIENT, zone: ZONE, instanceUrl: `http://127.0.0.1:${port}`, token: TOKEN },
  );
  clientId = ids.client;
  igId = ids.ig;
  mastoId = ids.masto;
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  await page.getByTestId('client-item').filter({ hasText: CLIENT }).locator('button').first().click();
});

test.afterAll(async () => {
  await page?.context().close();
  await stopServer();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) {
    await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
  }
});

async function schedule(accountId: number, text: string, at = nowLocal()) {
  const { date, time } = at;
  await page.getByTestId('new-post').click();
  const composer = page.getByTestId('composer');
  await expect(composer).toBeVisible();
  const client = page.locator('#post-client');
  if (await client.isVisible()) await client.selectOption({ label: CLIENT });
  await composer.getByTestId('composer-accounts-none').click(); // new posts start with the client's accounts
  await composer.locator(`[data-testid=composer-account][data-account-id="${accountId}"]`).check();
  await page.locator('#post-text').fill(text);
  await page.locator('#post-date').fill(date);
  await page.locator('#post-time').fill(time);
  await page.getByTestId('save-scheduled').click();
  await expect(composer).toBeHidden();
}

async function openOutbox() {
  await page.getByTestId('open-outbox').click();
  const dialog = page.getByTestId('outbox-dialog');
  await expect(dialog).toBeVisible();
  return dialog;
}

async function closeOutbox() {
  await page.getByTestId('outbox-close').click();
  await expect(page.getByTestId('outbox-dialog')).toBeHidden();
}

test('a post due while offline waits for the connection, then publishes once', async () => {
  const cat = await catalog();
  expect(mastoId).toBeGreaterThan(0);
  await stopServer(); // the instance is unreachable: offline
  await schedule(mastoId, MASTO_TEXT);

  // The calendar chip says why it waits, and the indicator lists the instance as unreachable
  // (the indicator itself is "online" while any other server answers).
  const chip = page.locator('[data-testid=post-chip][data-waiting=offline]').filter({ hasText: MASTO_TEXT.slice(0, 12) });
  await expect(chip.first()).toBeVisible({ timeout: 30_000 });
  await expect(chip.first().getByTestId('chip-waiting')).toBeVisible();

  const dialog = await openOutbox();
  const row = dialog.locator('[data-testid=outbox-row][data-state=pending]').filter({ hasText: MASTO_TEXT.slice(0, 20) });
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-waiting', 'offline');
  await expect(row.getByTestId('outbox-waiting')).toHaveText(cat.outbox.waiting.offline);
  await expect(row).toContainText(CLIENT);
  await expect(row).toContainText('@outbox');
  await closeOutbox();
  expect(statuses).toHaveLength(0);
  await page.getByTestId('online-indicator').click();
  await expect(page.locator(`[data-testid=online-host][data-host="127.0.0.1:${port}"]`)).toHaveAttribute('data-up', 'false');
  const others = await page.getByTestId('online-host').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-host')}=${e.getAttribute('data-up')}`));
  if (!others.some((h) => h.endsWith('=true'))) await expect(page.getByTestId('online-indicator')).toHaveAttribute('data-online', 'offline');
  else console.log(`[outbox.spec] other servers seen: ${others.join(', ')}`);
  await page.getByTestId('online-indicator').click();
  await expect(page.getByTestId('online-popover')).toBeHidden();

  // Back online on the same port; "check now" in the indicator skips the wait.
  await startServer(port);
  await page.getByTestId('online-indicator').click();
  await expect(page.getByTestId('online-popover')).toBeVisible();
  await page.getByTestId('online-check-now').click();
  await expect(page.getByTestId('online-indicator')).toHaveAttribute('data-online', 'online', { timeout: 45_000 });
  await expect.poll(() => statuses.length, { timeout: 45_000 }).toBe(1);
  expect(statuses[0].status).toBe(MASTO_TEXT);

  const again = await openOutbox();
  const published = again.locator('[data-testid=outbox-row][data-state=published]').filter({ hasText: MASTO_TEXT.slice(0, 20) });
  await expect(published).toHaveCount(1, { timeout: 15_000 });
  await expect(published.getByTestId('outbox-view-post')).toBeVisible();
  await expect(again.locator('[data-testid=outbox-row][data-state=pending]').filter({ hasText: MASTO_TEXT.slice(0, 20) })).toHaveCount(0);
  await closeOutbox();
  // Never twice.
  await page.waitForTimeout(1000);
  expect(statuses).toHaveLength(1);
});

test('a manual post due now: copy its text, mark it published with its link', async () => {
  const cat = await catalog();
  await schedule(igId, IG_TEXT);
  const panel = page.getByTestId('due-now');
  await expect(panel).toBeVisible({ timeout: 30_000 });
  const item = panel.getByTestId('due-item').filter({ hasText: 'Nuevo horario' });
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('due-text')).toHaveText(IG_TEXT);
  await expect(page.getByTestId('outbox-badge')).toHaveText(/^[1-9]\d*$/);

  await item.getByTestId('due-copy').click();
  await expect(item.getByTestId('due-copy')).toHaveText(cat.outbox.dueNow.copied);
  const clip = await page.evaluate(() => navigator.clipboard.readText().catch(() => null));
  if (clip !== null) expect(clip).toBe(IG_TEXT);

  // A link that is not a web address is refused inline; the typed text stays.
  await item.getByTestId('mark-url').fill('instagram.com/p/abc');
  await item.getByTestId('mark-published').click();
  await expect(item.getByTestId('field-error')).toHaveText(cat.outbox.urlInvalid);
  await expect(item.getByTestId('mark-url')).toHaveValue('instagram.com/p/abc');
  await item.getByTestId('mark-url').fill('https://www.instagram.com/p/abc123/');
  await item.getByTestId('mark-published').click();
  await expect(panel.getByTestId('due-item').filter({ hasText: 'Nuevo horario' })).toHaveCount(0);

  const dialog = await openOutbox();
  const row = dialog.locator('[data-testid=outbox-row][data-state=published]').filter({ hasText: 'Nuevo horario' });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('outbox-view-post')).toHaveAttribute('title', 'https://www.instagram.com/p/abc123/');
  await expect(dialog.locator('[data-testid=outbox-row][data-state=due_manual]').filter({ hasText: 'Nuevo horario' })).toHaveCount(0);
  await closeOutbox();
  expect(pageErrors).toEqual([]);
});

test('a Mastodon post hours ahead is scheduled on the server; deleting it in Pauta cancels it there', async () => {
  const TEXT = 'Handed to the instance: goes out even with the laptop closed';
  // Two hours ahead, in the client's zone (the date may be tomorrow).
  const later = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(Date.now() + 2 * 3600_000))
      .map((x) => [x.type, x.value]),
  );
  await schedule(mastoId, TEXT, { date: `${later.year}-${later.month}-${later.day}`, time: `${later.hour}:${later.minute}` });
  await expect.poll(() => scheduled.filter((x) => x.text === TEXT).length, { timeout: 45_000 }).toBe(1);
  expect(statuses.some((x) => x.status === TEXT)).toBe(false); // not published, scheduled

  // The outbox row says so (the calendar may show another week: the row is enough).
  const dialog = await openOutbox();
  const row = dialog.locator('[data-testid=outbox-row][data-state=pending]').filter({ hasText: TEXT.slice(0, 20) });
  await expect(row.getByTestId('outbox-remote')).toBeVisible({ timeout: 15_000 });
  const postId = Number(await row.getAttribute('data-post-id'));
  await closeOutbox();

  // Deleting the post cancels the instance's scheduled status.
  const id = scheduled.find((x) => x.text === TEXT)!.id;
  await page.evaluate(async (pid) => {
    const go = (window as unknown as { go: { app: { PostService: { Delete(id: number): Promise<unknown> } } } }).go.app;
    await go.PostService.Delete(pid);
  }, postId);
  await expect.poll(() => cancelled.includes(id), { timeout: 45_000 }).toBe(true);
  expect(scheduled.some((x) => x.text === TEXT)).toBe(false);
  expect(statuses.some((x) => x.status === TEXT)).toBe(false);
  expect(pageErrors).toEqual([]);
});
