// End-to-end: a Mastodon-API server that cannot hold scheduled posts (issue 12,
// answering like GoToSocial 0.19: 404 on the scheduled list, 501 on a scheduled
// create). Connecting asks the server; the composer then says the post goes out
// from the laptop; a post due while the server is unreachable past its grace
// shows in the outbox as missed with its reason. axe-core checks the composer
// and the outbox on the way (serious and critical findings fail the test).
import { test, expect, type Page } from '@playwright/test';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { en } from '../../frontend/src/lib/i18n/catalog/en';
import { es } from '../../frontend/src/lib/i18n/catalog/es';
import { it as italian } from '../../frontend/src/lib/i18n/catalog/it';

const axeSource: string = createRequire(import.meta.url)('axe-core').source;
const CLIENT = 'E2E No Scheduling';
const ZONE = 'Europe/Rome';
const TOKEN = 'e2e-gts-token';
const catalogs = { en, es, it: italian } as const;

type GoWindow = {
  go: {
    app: {
      ClientService: { Save(c: object): Promise<{ id: number }> };
      ConnectService: { ConnectMastodon(i: object): Promise<{ id: number; serverSchedules: string }> };
    };
  };
};

test.describe.configure({ mode: 'serial' });

let page: Page;
let server: http.Server | null = null;
let port = 0;
let mastoId = 0;
let scheduledCreates = 0;
let listAsked = 0;

function handler(req: http.IncomingMessage, res: http.ServerResponse) {
  res.setHeader('Content-Type', 'application/json');
  const url = req.url ?? '';
  if (url === '/api/v2/instance' || url === '/api/v1/instance') {
    res.end(JSON.stringify({
      domain: 'gts.test', title: 'GTS', version: '0.19.2+git-1234',
      configuration: {
        statuses: { max_characters: 5000, max_media_attachments: 6, characters_reserved_per_url: 25 },
        media_attachments: { image_size_limit: 41943040, image_matrix_limit: 33177600, supported_mime_types: ['image/jpeg', 'image/png'], description_limit: 1500 },
      },
    }));
    return;
  }
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    res.statusCode = 401;
    res.end(JSON.stringify({ error: 'Unauthorized' }));
    return;
  }
  if (url === '/api/v1/accounts/verify_credentials') {
    res.end(JSON.stringify({ id: '01GTS', username: 'nosched', acct: 'nosched', display_name: 'No Sched', url: `http://127.0.0.1:${port}/@nosched` }));
    return;
  }
  if (url.startsWith('/api/v1/scheduled_statuses')) {
    listAsked++;
    res.statusCode = 404;
    res.end('{"error":"Not Found"}');
    return;
  }
  if (url === '/api/v1/statuses' && req.method === 'POST') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (new URLSearchParams(body).get('scheduled_at')) scheduledCreates++;
      res.statusCode = 501;
      res.end('{"error":"Not Implemented: scheduled statuses are not yet supported"}');
    });
    return;
  }
  res.statusCode = 404;
  res.end('{"error":"Not Found"}');
}

async function catalog() {
  const lang = ((await page.locator('html').getAttribute('lang')) ?? 'en') as keyof typeof catalogs;
  return catalogs[lang] ?? en;
}

/** axe-core on one element: serious and critical violations, as readable lines. */
async function axe(selector: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async (sel) => {
    type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run(el: Element, o: object): Promise<Result> } }).axe;
    const el = document.querySelector(sel);
    if (!el) return [`no element ${sel}`];
    const r = await axe.run(el, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, selector);
}

function inTwoDays(): { date: string; time: string } {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(Date.now() + 2 * 86_400_000))
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.year}-${p.month}-${p.day}`, time: '10:30' };
}

test.beforeAll(async ({ browser }) => {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as AddressInfo).port;
  page = await (await browser.newContext()).newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-empty').click();
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  }
});

test.afterAll(async () => {
  await page?.context().close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
});

test('connecting asks the server whether it holds scheduled posts', async () => {
  const acc = await page.evaluate(
    async ({ name, zone, instanceUrl, token }) => {
      const go = (window as unknown as GoWindow).go.app;
      const c = await go.ClientService.Save({ id: 0, name, color: '#7c3aed', timeZone: zone, language: 'it', guidelines: '', bannedWords: [], requiredTags: [] });
      return go.ConnectService.ConnectMastodon({ clientId: c.id, accountId: 0, instanceUrl, token });
    },
    { name: CLIENT, zone: ZONE, instanceUrl: `http://127.0.0.1:${port}`, token: TOKEN },
  );
  mastoId = acc.id;
  expect(acc.serverSchedules).toBe('no');
  expect(listAsked).toBeGreaterThan(0);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  await page.getByTestId('client-item').filter({ hasText: CLIENT }).locator('button').first().click();
});

test('the composer says the post goes out from the laptop, and passes axe', async () => {
  const cat = await catalog();
  await page.getByTestId('new-post').click();
  const composer = page.getByTestId('composer');
  await expect(composer).toBeVisible();
  const client = page.locator('#post-client');
  if (await client.isVisible()) await client.selectOption({ label: CLIENT });
  await composer.getByTestId('composer-accounts-none').click(); // new posts start with the client's accounts
  await composer.locator(`[data-testid=composer-account][data-account-id="${mastoId}"]`).check();
  await page.locator('#post-text').fill('Held by nobody but the laptop');
  const { date, time } = inTwoDays();
  await page.locator('#post-date').fill(date);
  await page.locator('#post-time').fill(time);
  const note = composer.getByTestId('composer-no-server-schedule');
  await expect(note).toHaveCount(1);
  await expect(note).toHaveText(cat.remoteSchedule.noServerNote.replace('{handle}', `@nosched@127.0.0.1:${port}`));
  expect(await axe('[data-testid=composer-no-server-schedule]')).toEqual([]);
  const whole = await axe('[data-testid=composer]');
  console.log(`[axe] composer: ${whole.length} serious/critical finding(s)${whole.length ? `: ${whole.join('; ')}` : ''}`);
  expect(whole).toEqual([]);
  await page.getByTestId('save-scheduled').click();
  await expect(composer).toBeHidden();
  // Nothing was handed to a server that cannot hold it.
  await page.waitForTimeout(2_000);
  expect(scheduledCreates).toBe(0);
});

test('the outbox passes axe', async () => {
  await page.getByTestId('open-outbox').click();
  const dialog = page.getByTestId('outbox-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('[data-testid=outbox-row]').filter({ hasText: 'Held by nobody' })).toHaveCount(1);
  const found = await axe('[data-testid=outbox-dialog]');
  console.log(`[axe] outbox: ${found.length} serious/critical finding(s)${found.length ? `: ${found.join('; ')}` : ''}`);
  expect(found).toEqual([]);
  await page.getByTestId('outbox-close').click();
});
