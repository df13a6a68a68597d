// End-to-end: the inbox (issue 14). A Mastodon account connected to a fake
// instance served from this process, which speaks /api/v1/notifications
// (newest first, since_id) and takes statuses with in_reply_to_id and an
// Idempotency-Key. The inbox lists what the instance says, alert words
// first; a saved reply is edited and sent as a reply exactly once; items
// are marked done; a reply written offline waits in the outbox and goes
// out once when the instance is back.
import { test, expect, type Page } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { en } from '../../frontend/src/lib/i18n/catalog/en';
import { es } from '../../frontend/src/lib/i18n/catalog/es';
import { it as italian } from '../../frontend/src/lib/i18n/catalog/it';

const CLIENT = 'E2E Inbox';
const ZONE = 'Europe/Madrid';
const TOKEN = 'e2e-inbox-token';
const catalogs = { en, es, it: italian } as const;

type GoWindow = {
  go: {
    app: {
      ClientService: { Save(c: object): Promise<{ id: number }> };
      ConnectService: { ConnectMastodon(i: object): Promise<{ id: number }> };
      InboxService: { SaveClientSettings(s: object): Promise<object>; SaveSavedReply(r: object): Promise<{ id: number }> };
    };
  };
};

test.describe.configure({ mode: 'serial' });

let page: Page;
const pageErrors: string[] = [];
let server: http.Server | null = null;
let port = 0;
const statuses: { status: string; replyTo: string; key: string }[] = [];

const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
const account = (id: string, acct: string, name: string) => ({ id, acct, username: acct.split('@')[0], display_name: name, url: `https://else.example/@${acct}` });
const status = (id: string, html: string, who: ReturnType<typeof account>, replyTo: string | null = null) => ({
  id, uri: `https://else.example/s/${id}`, url: `https://else.example/@x/${id}`, created_at: ago(10), content: html, visibility: 'public',
  language: 'es', spoiler_text: '', in_reply_to_id: replyTo, in_reply_to_account_id: replyTo ? '7' : null, account: who,
});
const ana = account('21', 'ana@else.example', 'Ana');
const bob = account('22', 'bob@else.example', 'Bob');
const cy = account('23', 'cy@else.example', 'Cy');
const notifications = [
  // Newest first, as Mastodon lists them. The alert (id 101) is not the newest: it must still come first.
  { id: '104', type: 'mention', created_at: ago(1), account: cy, status: status('304', '<p>¿Hacéis envíos a Canarias?</p>', cy) },
  { id: '103', type: 'favourite', created_at: ago(2), account: bob, status: status('200', '<p>Nuestro post</p>', account('7', 'inbox', 'Inbox')) },
  { id: '102', type: 'mention', created_at: ago(3), account: ana, status: status('302', '<p>¿A qué hora abrís el domingo? <a href="https://maps.example/x" rel="nofollow">maps.example/x</a></p>', ana, '200') },
  { id: '101', type: 'mention', created_at: ago(30), account: bob, status: status('301', '<p>Esto es una <strong>ESTAFA</strong>, nadie responde</p>', bob) },
];

// A 1×1 PNG: the authors' avatar on the instance's media host (no token there).
const AVATAR = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const avatarHits: string[] = [];
const favourites: Record<string, number> = {};
const withAvatar = (a: ReturnType<typeof account>) => ({ ...a, avatar_static: `http://127.0.0.1:${port}/avatars/${a.id}.png` });

function handler(req: http.IncomingMessage, res: http.ServerResponse) {
  res.setHeader('Content-Type', 'application/json');
  const url = req.url ?? '';
  if (url.startsWith('/avatars/')) {
    avatarHits.push(url);
    res.setHeader('Content-Type', 'image/png');
    res.end(AVATAR);
    return;
  }
  if (url === '/api/v2/instance') {
    res.end(JSON.stringify({ domain: 'masto.test', title: 'Masto', version: '4.3.0', configuration: { statuses: { max_characters: 500, characters_reserved_per_url: 23 } } }));
    return;
  }
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    res.statusCode = 401;
    res.end(JSON.stringify({ error: 'The access token is invalid' }));
    return;
  }
  const path = url.split('?')[0];
  const q = new URLSearchParams(url.split('?')[1] ?? '');
  if (path === '/api/v1/accounts/verify_credentials') {
    res.end(JSON.stringify({ id: '7', username: 'inbox', acct: 'inbox', display_name: 'Inbox', url: `http://127.0.0.1:${port}/@inbox` }));
  } else if (path === '/api/v1/notifications') {
    const since = Number(q.get('since_id') ?? 0);
    res.end(JSON.stringify(notifications.filter((n) => Number(n.id) > since).map((n) => ({ ...n, account: withAvatar(n.account) }))));
  } else if (path === '/api/v1/notifications/requests') {
    res.end('[]');
  } else if (path.startsWith('/api/v1/accounts/7/statuses')) {
    res.end('[]');
  } else if (path === '/api/v1/scheduled_statuses') {
    res.end('[]');
  } else if (/^\/api\/v1\/statuses\/\d+\/favourite$/.test(path) && req.method === 'POST') {
    const id = path.split('/')[4];
    favourites[id] = 1; // Mastodon: a repeat is the same favourite
    res.end(JSON.stringify({ id, uri: `https://else.example/s/${id}`, url: `https://else.example/@x/${id}`, favourited: true, content: '' }));
  } else if (path === '/api/v1/statuses' && req.method === 'POST') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const key = String(req.headers['idempotency-key'] ?? '');
      if (!statuses.some((s) => s.key === key)) statuses.push({ status: form.get('status') ?? '', replyTo: form.get('in_reply_to_id') ?? '', key });
      const id = String(9000 + statuses.length);
      res.end(JSON.stringify({ id, uri: `http://127.0.0.1:${port}/users/inbox/statuses/${id}`, url: `http://127.0.0.1:${port}/@inbox/${id}`, content: '' }));
    });
  } else {
    res.statusCode = 404;
    res.end('{"error":"Record not found"}');
  }
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

async function catalog() {
  const lang = ((await page.locator('html').getAttribute('lang')) ?? 'en') as keyof typeof catalogs;
  return catalogs[lang] ?? en;
}

test.beforeAll(async ({ browser }) => {
  await startServer();
  page = await (await browser.newContext()).newPage();
  page.on('pageerror', (e) => {
    const text = `${e.stack ?? e}`;
    if (/\/wails\/ipc\.js/.test(text) && /reading 'nodes'/.test(text)) return; // Wails dev overlay on Svelte 5
    pageErrors.push(text);
  });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-empty').click();
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  }
  // A client with a crisis plan, a saved reply, and a Mastodon account on the fake instance.
  await page.evaluate(
    async ({ name, zone, instanceUrl, token }) => {
      const go = (window as unknown as GoWindow).go.app;
      const c = await go.ClientService.Save({ id: 0, name, color: '#7c3aed', timeZone: zone, language: 'es', guidelines: '', bannedWords: ['barato'], requiredTags: [] });
      await go.InboxService.SaveClientSettings({ clientId: c.id, alertWords: ['estafa', 'denuncia'], tags: [] });
      await go.InboxService.SaveSavedReply({ id: 0, clientId: c.id, title: 'Horario', text: 'Hola {name}, abrimos de 10 a 14.', tags: [], crisis: false });
      await go.ConnectService.ConnectMastodon({ clientId: c.id, accountId: 0, instanceUrl, token });
    },
    { name: CLIENT, zone: ZONE, instanceUrl: `http://127.0.0.1:${port}`, token: TOKEN },
  );
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
});

test.afterAll(async () => {
  await page?.context().close();
  await stopServer();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
});

const rows = () => page.getByTestId('inbox-list').locator('[data-testid=inbox-row], [data-testid=inbox-summary]');

test('the inbox lists what the instance said, the alert word flagged and first', async () => {
  const cat = await catalog();
  await expect(page.getByTestId('inbox-badge')).toHaveText('4', { timeout: 30_000 });
  await page.keyboard.press('i');
  const inbox = page.getByTestId('inbox');
  await expect(inbox).toBeVisible();
  await expect(page.getByTestId('inbox-row')).toHaveCount(3, { timeout: 15_000 });
  const first = rows().first();
  await expect(first).toHaveAttribute('data-alert', 'true');
  await expect(first).toContainText('ESTAFA');
  await expect(first).toContainText(cat.inbox.alert.replace('{words}', 'estafa'));
  // Then newest first: Cy's mention, the like summary, Ana's reply.
  await expect(rows().nth(1)).toContainText('Canarias');
  await expect(rows().nth(2)).toHaveAttribute('data-testid', 'inbox-summary');
  await expect(rows().nth(2)).toContainText('Bob');
  await expect(rows().nth(3)).toHaveAttribute('data-kind', 'reply');
  // Plain text, never markup; the link stays a link.
  await rows().nth(3).click();
  const detail = page.getByTestId('inbox-detail');
  await expect(detail.getByTestId('inbox-detail-text')).toHaveText('¿A qué hora abrís el domingo? maps.example/x');
  await expect(detail.locator('a[href="https://maps.example/x"]')).toHaveCount(1);
  await expect(detail.getByTestId('inbox-detail-text').locator('*')).toHaveCount(0);
});

test('filter by kind and by state', async () => {
  await page.getByTestId('inbox-filter-kind').selectOption('reply');
  await expect(rows()).toHaveCount(1);
  await expect(rows().first()).toHaveAttribute('data-kind', 'reply');
  await page.getByTestId('inbox-filter-kind').selectOption('like');
  await expect(page.getByTestId('inbox-summary')).toHaveCount(1);
  await expect(page.getByTestId('inbox-row')).toHaveCount(0);
  // Opening the summary names who liked (read on demand, not with the list).
  await page.getByTestId('inbox-summary').click();
  await expect(page.getByTestId('inbox-summary-authors').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('inbox-summary-authors')).toContainText('Bob');
  await page.getByTestId('inbox-filter-kind').selectOption('');
  await expect(rows()).toHaveCount(4);
});

test('avatars come from the app, never the remote URL; L likes the item once', async () => {
  const cat = await catalog();
  const cy = page.locator('[data-testid=inbox-row]', { hasText: 'Canarias' });
  await cy.click();
  const detail = page.getByTestId('inbox-detail');
  const img = detail.getByTestId('inbox-avatar');
  await expect(img).toHaveAttribute('src', /^\/media\/avatar\/[0-9a-f]{32}\.jpg$/, { timeout: 30_000 });
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  expect(avatarHits.length).toBeGreaterThan(0);
  await expect(page.locator('img[src*="127.0.0.1"]')).toHaveCount(0);

  const like = detail.getByTestId('inbox-like');
  await expect(like).toHaveText(cat.inbox.likeSend);
  await cy.focus();
  await page.keyboard.press('l');
  await expect.poll(() => favourites['304'] ?? 0, { timeout: 45_000 }).toBe(1);
  await expect(like).toHaveAttribute('data-state', 'published', { timeout: 30_000 });
  await expect(like).toHaveText(cat.inbox.liked);
  await expect(like).toBeDisabled();
  await page.keyboard.press('l'); // already liked: nothing more goes out
  await page.waitForTimeout(1000);
  expect(Object.keys(favourites)).toEqual(['304']);
});

test('reply with a saved reply edited before sending: sent once, as a reply, and the item is done', async () => {
  const cat = await catalog();
  await page.locator('[data-testid=inbox-row][data-kind=reply]').click();
  const detail = page.getByTestId('inbox-detail');
  const box = detail.getByTestId('inbox-reply-text');
  await expect(box).toHaveValue('@ana@else.example ');
  await detail.getByTestId('inbox-saved').selectOption({ label: 'Horario' });
  await expect(box).toHaveValue('@ana@else.example Hola Ana, abrimos de 10 a 14.');
  await box.fill('@ana@else.example Hola Ana, el domingo abrimos de 10 a 14. ¡Y no es barato!');
  await expect(detail.getByTestId('inbox-reply-warnings')).toContainText('barato'); // the brand avoids it: a warning, not a block
  await expect(detail.getByTestId('inbox-reply-counter')).toHaveText(/^\d+ \/ 500$/);
  await box.fill('@ana@else.example Hola Ana, el domingo abrimos de 10 a 14.');
  await expect(detail.getByTestId('inbox-reply-warnings')).toHaveCount(0);
  await detail.getByTestId('inbox-reply-send').click();
  await expect.poll(() => statuses.length, { timeout: 45_000 }).toBe(1);
  expect(statuses[0]).toMatchObject({ status: '@ana@else.example Hola Ana, el domingo abrimos de 10 a 14.', replyTo: '302' });
  expect(statuses[0].key).not.toBe('');
  // Sent: shown on the item; the item left the "to answer" list.
  await page.getByTestId('inbox-filter-state').selectOption('all');
  await page.locator('[data-testid=inbox-row][data-kind=reply]').click();
  await expect(page.getByTestId('inbox-reply-row')).toHaveAttribute('data-state', 'published', { timeout: 30_000 });
  await expect(page.getByTestId('inbox-reply-row')).toContainText(cat.inbox.replyState.published);
  await page.getByTestId('inbox-filter-state').selectOption('open');
  await expect(page.locator('[data-testid=inbox-row][data-kind=reply]')).toHaveCount(0);
  await page.waitForTimeout(1000);
  expect(statuses).toHaveLength(1);
});

test('mark done with E, back with U; mark all done', async () => {
  const alert = page.locator('[data-testid=inbox-row][data-alert=true]');
  await alert.click();
  await expect(page.getByTestId('inbox-detail')).toHaveAttribute('data-item-id', /\d+/);
  await page.locator('body').press('e');
  await expect(alert).toHaveCount(0);
  await page.getByTestId('inbox-filter-state').selectOption('done');
  await page.locator('[data-testid=inbox-row][data-alert=true]').click();
  await page.locator('body').press('u');
  await expect(page.locator('[data-testid=inbox-row][data-alert=true]')).toHaveCount(0);
  await page.getByTestId('inbox-filter-state').selectOption('open');
  await expect(page.locator('[data-testid=inbox-row][data-alert=true]')).toHaveCount(1);
  await page.getByTestId('inbox-filter-kind').selectOption('like');
  await page.getByTestId('inbox-mark-all').click();
  await expect(page.getByTestId('inbox-summary')).toHaveCount(0);
  await page.getByTestId('inbox-filter-kind').selectOption('');
  await expect(page.getByTestId('inbox-badge')).toHaveText('2');
});

test('a reply written offline waits in the outbox, then goes out once', async () => {
  await stopServer();
  await page.locator('[data-testid=inbox-row]').filter({ hasText: 'Canarias' }).click();
  const detail = page.getByTestId('inbox-detail');
  await detail.getByTestId('inbox-reply-text').fill('@cy@else.example Sí, enviamos a Canarias.');
  await detail.getByTestId('inbox-reply-send').click();
  await page.getByTestId('inbox-filter-state').selectOption('all');
  await page.locator('[data-testid=inbox-row]').filter({ hasText: 'Canarias' }).click();
  await expect(page.getByTestId('inbox-reply-row')).toHaveAttribute('data-state', 'pending');
  expect(statuses).toHaveLength(1);

  await startServer(port);
  await page.getByTestId('online-indicator').click();
  await page.getByTestId('online-check-now').click();
  await expect.poll(() => statuses.length, { timeout: 60_000 }).toBe(2);
  expect(statuses[1]).toMatchObject({ status: '@cy@else.example Sí, enviamos a Canarias.', replyTo: '304' });
  await expect(page.getByTestId('inbox-reply-row')).toHaveAttribute('data-state', 'published', { timeout: 30_000 });
  await page.waitForTimeout(1000);
  expect(statuses).toHaveLength(2);
  expect(pageErrors).toEqual([]);
});
