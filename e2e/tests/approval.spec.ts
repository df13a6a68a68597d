// End-to-end: the client's approval (issue 19). Posts of next week are
// marked as needing approval in the composer; the package is exported; its
// HTML is opened from file:// in Chromium at phone width with every request
// that is not the file itself aborted (and none is attempted); the client
// approves two posts and asks for changes on one with a comment; the answer
// (downloaded file and e-mail text) is imported in Pauta — one post was
// edited in between and shows "changed since approval"; chips, the "waiting
// for approval" filter and the outbox follow. A client that requires approval
// never publishes an unapproved post.
import { test, expect, type Page, type BrowserContext } from '@playwright/test';
import { dmy } from '../lib/dates';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { en } from '../../frontend/src/lib/i18n/catalog/en';

const axeSource: string = createRequire(import.meta.url)('axe-core').source;
const CLIENT = 'E2E Aprobación';
const STRICT = 'E2E Aprobación estricta';
const ZONE = 'Europe/Madrid';

type PostInput = { id: number; clientId: number; status: string; text: string; date: string; time: string; variants: { accountId: number }[] };
type Approval = { status: string; comment: string; changed: boolean; waiting: boolean; required: boolean };
type GoApp = {
  ClientService: { Save(c: object): Promise<{ id: number }>; AddAccount(a: object): Promise<{ id: number }> };
  PostService: { Save(p: PostInput): Promise<{ post: { id: number } }>; Get(id: number): Promise<{ approval: Approval; needsApproval: boolean }> };
  ApprovalService: {
    ExportTo(o: object, path: string): Promise<{ htmlPath: string; pdfPath: string; posts: number; packageId: string }>;
    ImportPath(path: string, clientId: number): Promise<{ approved: number[]; changes: number[]; changed: number[] }>;
  };
  OutboxService: { Items(q: object): Promise<{ postId: number; state: string; waiting: string }[]> };
};
const go = (p: Page) => p.evaluate.bind(p);

test.describe.configure({ mode: 'serial' });

let page: Page;
const pageErrors: string[] = [];
let clientId = 0;
let igId = 0;
const ids: number[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pauta-approval-'));
let htmlPath = '';
let pdfPath = '';
let answerText = '';
let answerFile = '';

/** Monday of next week in ZONE and the days after it, "YYYY-MM-DD". */
function nextWeek(): string[] {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' })
      .formatToParts(new Date())
      .map((x) => [x.type, x.value]),
  );
  const dow = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday);
  const base = Date.UTC(+p.year, +p.month - 1, +p.day);
  const ahead = (8 - dow) % 7 || 7;
  return [0, 1, 2, 3, 4, 5, 6].map((i) => new Date(base + (ahead + i) * 86_400_000).toISOString().slice(0, 10));
}
const WEEK = nextWeek();
const COMMENT = '¿Mejor una foto de la tarta entera? 🍰 Gracias, «Ana».';
const TEXTS = ['APR-1 Pan de masa madre', 'APR-2 Croissants del martes', 'APR-3 Tarta de Santiago'];

function nowLocal(): { date: string; time: string } {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date())
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  page = await context.newPage();
  page.on('pageerror', (e) => {
    const text = `${e.stack ?? e}`;
    if (/\/wails\/ipc\.js/.test(text) && /reading 'nodes'/.test(text)) return;
    pageErrors.push(text);
  });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-empty').click();
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  }
  const made = await go(page)(
    async ({ name, zone, week, texts }) => {
      const app = (window as unknown as { go: { app: GoApp } }).go.app;
      const c = await app.ClientService.Save({ id: 0, name, color: '#9333ea', timeZone: zone, language: 'es', guidelines: '', bannedWords: [], requiredTags: [] });
      const ig = await app.ClientService.AddAccount({ clientId: c.id, network: 'facebook', handle: '@panaderia.e2e', displayName: 'Panadería' });
      const out: number[] = [];
      for (let i = 0; i < texts.length; i++) {
        const r = await app.PostService.Save({ id: 0, clientId: c.id, status: 'scheduled', text: texts[i], date: week[i], time: `1${i}:00`, variants: [{ accountId: ig.id }] });
        out.push(r.post.id);
      }
      return { client: c.id, ig: ig.id, posts: out };
    },
    { name: CLIENT, zone: ZONE, week: WEEK, texts: TEXTS },
  );
  clientId = made.client;
  igId = made.ig;
  ids.push(...made.posts);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
  await page.getByTestId('client-item').filter({ hasText: CLIENT }).locator('button').first().click();
  await page.getByTestId('view-week').click();
  await page.getByTestId('cal-next').click();
});

test.afterAll(async () => {
  await page?.context().close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
});

/** axe-core on a page: serious and critical violations, as readable lines. */
async function axe(p: Page, selector = 'body'): Promise<string[]> {
  if (!(await p.evaluate(() => 'axe' in window))) await p.addScriptTag({ content: axeSource });
  return p.evaluate(async (sel) => {
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

const chip = (text: string) => page.getByTestId('post-chip').filter({ hasText: text });

test('posts are marked as needing approval in the composer; chips and the filter show them', async () => {
  for (const text of TEXTS) {
    await expect(chip(text)).toHaveCount(1);
    await expect(chip(text)).not.toHaveAttribute('data-approval');
    await chip(text).click();
    const composer = page.getByTestId('composer');
    await expect(composer).toBeVisible();
    const toggle = composer.getByTestId('needs-approval');
    await expect(toggle).toBeEnabled();
    await toggle.check();
    await expect(composer.getByTestId('approval-toggle')).toHaveAttribute('data-state', 'waiting');
    await expect(composer.getByTestId('approval-badge')).toHaveText(en.approval.state.waiting);
    await page.getByTestId('composer-close').click();
    await expect(composer).toBeHidden();
    await expect(chip(text)).toHaveAttribute('data-approval', 'waiting');
  }
  // The filter keeps only the posts waiting for approval.
  await page.locator('#filter-status').selectOption('awaiting_approval');
  await expect(page.getByTestId('post-chip')).toHaveCount(3);
  await page.getByTestId('filters-clear').click();
});

test('the package is exported as HTML and PDF', async () => {
  const res = await go(page)(
    async ({ client, from, to, file }) => (window as unknown as { go: { app: GoApp } }).go.app.ApprovalService.ExportTo({ clientId: client, from, to }, file),
    { client: clientId, from: WEEK[0], to: WEEK[6], file: path.join(dir, 'paquete.html') },
  );
  expect(res.posts).toBe(3);
  htmlPath = res.htmlPath;
  pdfPath = res.pdfPath;
  expect(fs.readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
  // The PDF reads as the same package, in the client's language (pdftotext: poppler-utils).
  const pdfText = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  for (const want of ['Publicaciones para tu aprobación', CLIENT, '1. lunes', '3. miércoles', 'Facebook', '@panaderia.e2e', ...TEXTS, res.packageId]) {
    expect(pdfText).toContain(want);
  }
  for (const text of TEXTS) await expect(chip(text)).toHaveAttribute('data-approval', 'pending');
  // The UI dialog proposes next week for the client.
  await page.getByTestId('open-approval-package').click();
  const dlg = page.getByTestId('approval-package-dialog');
  await expect(dlg.getByTestId('approval-from')).toHaveValue(dmy(WEEK[0]));
  await expect(dlg.getByTestId('approval-to')).toHaveValue(dmy(WEEK[6]));
  expect(await axe(page, '[data-testid=approval-package-dialog]')).toEqual([]);
  await dlg.getByRole('button', { name: en.common.close }).click();
});

test('the client answers in the HTML, offline, on a phone', async ({ browser }) => {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, acceptDownloads: true, locale: 'es-ES' });
  const attempted: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    attempted.push(url);
    return route.abort();
  });
  const client = await context.newPage();
  const problems: string[] = [];
  client.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
  });
  client.on('pageerror', (e) => problems.push(String(e)));
  client.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) attempted.push(r.url());
  });
  await client.goto(`file://${htmlPath}`);
  await expect(client.locator('html')).toHaveAttribute('lang', 'es');
  await expect(client.locator('h1')).toHaveText('Publicaciones para tu aprobación');
  await expect(client.getByRole('button', { name: 'Enviar respuesta' })).toBeVisible();
  const posts = client.locator('article.post');
  await expect(posts).toHaveCount(3);
  await expect(posts.nth(0).locator('.num')).toHaveText('1');
  await expect(posts.nth(2).locator('.num')).toHaveText('3');
  await expect(posts.nth(0)).toContainText('10:00');
  await expect(posts.nth(0)).toContainText(TEXTS[0]);
  await expect(posts.nth(0)).toContainText('Facebook');
  // Phone width: nothing wider than the screen.
  expect(await client.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // Meanwhile the community manager edits post 2.
  await go(page)(
    async ({ id, client, text, date, ig }) =>
      (window as unknown as { go: { app: GoApp } }).go.app.PostService.Save({ id, clientId: client, status: 'scheduled', text, date, time: '11:00', variants: [{ accountId: ig }] }),
    { id: ids[1], client: clientId, text: `${TEXTS[1]} (corregido)`, date: WEEK[1], ig: igId },
  );

  await posts.nth(0).getByLabel('Aprobar').check();
  await posts.nth(1).getByLabel('Aprobar').check();
  await posts.nth(2).getByLabel('Pedir cambios').check();
  // Asking for changes needs a comment.
  await client.getByRole('button', { name: 'Enviar respuesta' }).click();
  await expect(client.locator('#problem')).toHaveText('Publicación 3: di qué hay que cambiar.');
  await posts.nth(2).locator('textarea').fill(COMMENT);
  await expect(client.locator('#progress')).toHaveText('3 de 3 publicaciones decididas');
  await client.getByRole('button', { name: 'Enviar respuesta' }).click();
  const box = client.locator('#answer-text');
  await expect(box).toBeVisible();
  answerText = await box.inputValue();
  expect(answerText).toContain('-----BEGIN PAUTA APPROVAL-----');
  expect(answerText).toContain(`3. cambios pedidos: ${COMMENT}`);
  const [download] = await Promise.all([client.waitForEvent('download'), client.getByRole('link', { name: 'Descargar el archivo de respuesta' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^respuesta-e2e-aprobacion-\d{4}-\d{2}-\d{2}\.txt$/);
  const saved = path.join(dir, download.suggestedFilename());
  await download.saveAs(saved);
  answerFile = saved;
  expect(fs.readFileSync(saved, 'utf8')).toBe(answerText);
  expect(attempted).toEqual([]);
  expect(problems).toEqual([]);
  await context.close();

  // Accessibility of the page (axe needs its script injected: a context of its own that bypasses the CSP).
  const axeContext = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  const a11y = await axeContext.newPage();
  await a11y.goto(`file://${htmlPath}`);
  await a11y.locator('article.post').nth(2).getByLabel('Pedir cambios').check();
  await a11y.getByRole('button', { name: 'Enviar respuesta' }).click();
  const found = await axe(a11y);
  console.log(`[axe] approval page: ${found.length} serious/critical finding(s)${found.length ? `: ${found.join('; ')}` : ''}`);
  expect(found).toEqual([]);
  await axeContext.close();
});

test('the answer lands in Pauta: statuses, comments, changed since approval', async () => {
  // A damaged answer is refused, nothing applied.
  await page.getByTestId('open-approval-import').click();
  const dlg = page.getByTestId('approval-import-dialog');
  const lines = answerText.trim().split('\n');
  const cut = lines.slice(0, -3).concat(lines.slice(-1)).join('\n');
  await dlg.getByTestId('approval-import-text').fill(cut);
  await dlg.getByTestId('approval-import-apply').click();
  await expect(dlg.getByTestId('approval-import-error')).toHaveText(en.err.approval.tampered);
  await expect(chip(TEXTS[0])).toHaveAttribute('data-approval', 'pending');
  // The real one.
  await dlg.getByTestId('approval-import-text').fill(answerText);
  await dlg.getByTestId('approval-import-apply').click();
  await expect(dlg.getByTestId('approval-import-summary')).toContainText(`${CLIENT}: 1 approved, 1 with changes requested.`);
  await expect(dlg.getByTestId('approval-import-changed')).toHaveText('1 post was edited after the package was made: it shows “Changed since approval” and is not approved.');
  expect(await axe(page, '[data-testid=approval-import-dialog]')).toEqual([]);
  await dlg.getByRole('button', { name: en.common.close }).click();

  await expect(chip(TEXTS[0])).toHaveAttribute('data-approval', 'approved');
  await expect(chip(TEXTS[1])).toHaveAttribute('data-approval', 'changed');
  await expect(chip(TEXTS[2])).toHaveAttribute('data-approval', 'changes');
  const third = await go(page)(async (id) => (window as unknown as { go: { app: GoApp } }).go.app.PostService.Get(id), ids[2]);
  expect(third.approval.comment).toBe(COMMENT);
  // The composer shows the client's comment and the changed state.
  await chip(TEXTS[2]).click();
  await expect(page.getByTestId('approval-comment')).toContainText(COMMENT);
  await page.getByTestId('composer-close').click();
  await chip(TEXTS[1]).click();
  await expect(page.getByTestId('composer').getByTestId('approval-badge')).toHaveText(en.approval.state.changed);
  await page.getByTestId('composer-close').click();
  // The downloaded answer file imports the same way (what "Choose the answer file…" does after its dialog); again is harmless.
  const again = await go(page)(
    async ({ file, client }) => (window as unknown as { go: { app: GoApp } }).go.app.ApprovalService.ImportPath(file, client),
    { file: answerFile, client: clientId },
  );
  expect([again.approved, again.changes, again.changed]).toEqual([[ids[0]], [ids[2]], [ids[1]]]);
  // Waiting for approval: the changed and the changes-requested ones.
  await page.locator('#filter-status').selectOption('awaiting_approval');
  await expect(page.getByTestId('post-chip')).toHaveCount(2);
  await expect(chip(TEXTS[0])).toHaveCount(0);
  await page.getByTestId('filters-clear').click();
});

test('a client that requires approval never publishes an unapproved post', async () => {
  const strict = await go(page)(
    async ({ name, zone }) => {
      const app = (window as unknown as { go: { app: GoApp } }).go.app;
      const c = await app.ClientService.Save({ id: 0, name, color: '#0f766e', timeZone: zone, language: 'it', guidelines: '', bannedWords: [], requiredTags: [] });
      const ig = await app.ClientService.AddAccount({ clientId: c.id, network: 'facebook', handle: '@severo.e2e', displayName: 'Severo' });
      return { client: c.id, ig: ig.id };
    },
    { name: STRICT, zone: ZONE },
  );
  // The setting, in the client dialog.
  await page.getByTestId('client-item').filter({ hasText: STRICT }).getByRole('button', { name: `Edit ${STRICT}` }).click();
  await page.getByTestId('client-require-approval').check();
  await page.getByRole('button', { name: en.common.save, exact: true }).click();
  await expect(page.getByTestId('client-require-approval')).toBeHidden();
  // A post due now.
  const at = nowLocal();
  const post = await go(page)(
    async ({ client, ig, date, time }) =>
      (window as unknown as { go: { app: GoApp } }).go.app.PostService.Save({ id: 0, clientId: client, status: 'scheduled', text: 'APR-S Subito', date, time, variants: [{ accountId: ig }] }),
    { ...strict, ...at },
  );
  await page.getByTestId('open-outbox').click();
  const row = page.getByTestId('outbox-dialog').locator(`[data-testid=outbox-row][data-post-id="${post.post.id}"]`);
  await expect(row).toHaveAttribute('data-waiting', 'approval');
  await expect(row.getByTestId('outbox-waiting')).toHaveText(en.approval.outboxWaiting);
  // Several passes of the outbox later it is still not due to publish.
  await page.waitForTimeout(3000);
  const items = await go(page)(async (client) => (window as unknown as { go: { app: GoApp } }).go.app.OutboxService.Items({ clientId: client }), strict.client);
  const mine = items.filter((i) => i.postId === post.post.id);
  expect(mine.map((i) => [i.state, i.waiting])).toEqual([['pending', 'approval']]);
  await expect(page.getByTestId('due-now').locator(`[data-post-id="${post.post.id}"]`)).toHaveCount(0);
  await page.keyboard.press('Escape');
  expect(pageErrors).toEqual([]);
});
