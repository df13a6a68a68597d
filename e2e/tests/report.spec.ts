// End-to-end: the monthly report (issue 15) of a demo client. The demo
// workspace comes with three months of published history, figures and
// follower counts: open the report, switch period, type a summary, export
// the PDF and the CSV (written into the workspace's reports folder).
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLIENT = 'Panadería Sol';

type Posted = { variantId: number; accountId: number; network: string; publishedAt: string; figures?: { likes: number } | null };
type GoWindow = {
  go: {
    app: {
      SettingsService: { CreateDemo(): Promise<unknown> };
      ImportService: { PickFile(): Promise<string> };
      ReportService: { Get(q: object): Promise<{ report: { client: { timeZone: string }; posts: Posted[] } }> };
    };
  };
};

let page: Page;
const pageErrors: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    const text = `${e.stack ?? e}`;
    if (/\/wails\/ipc\.js/.test(text) && /reading 'nodes'/.test(text)) return; // Wails dev overlay, not Pauta
    pageErrors.push(text);
  });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', /^(calendar|first-run)$/, { timeout: 60_000 });
  if ((await page.locator('html').getAttribute('data-ready')) === 'first-run') {
    await page.getByTestId('first-run-demo').click();
  } else {
    // Another spec started the workspace: add the demo clients (existing ones are left alone).
    await page.evaluate(() => (window as unknown as GoWindow).go.app.SettingsService.CreateDemo());
    await page.reload();
  }
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'calendar', { timeout: 60_000 });
});

test.afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await page?.close();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) await page.screenshot({ path: info.outputPath('failure.png') }).catch(() => {});
});

const dialog = () => page.getByTestId('report-dialog');

function monthLabel(offset: number): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 15));
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

test('open the report of the demo client and switch period', async () => {
  await page.getByTestId('open-report').click();
  await expect(dialog()).toBeVisible();
  await dialog().getByTestId('report-client').selectOption({ label: CLIENT });
  await expect(dialog().getByTestId('report-period-label')).toContainText(CLIENT);
  await expect(dialog().getByTestId('report-period-label')).toContainText(monthLabel(0));

  await dialog().getByTestId('report-period-last').click();
  await expect(dialog().getByTestId('report-period-label')).toContainText(monthLabel(-1));
  // Last month has the demo history: posts, interactions with a change, followers gained.
  const posts = dialog().getByTestId('report-total-posts');
  await expect(posts.locator('.value')).toHaveText(/^[1-9]\d*$/);
  await expect(dialog().getByTestId('report-total-interactions').locator('.value')).toHaveText(/^[\d.,]+$/);
  await expect(dialog().getByTestId('report-total-interactions').locator('.note')).toContainText('vs previous period');
  await expect(dialog().getByTestId('report-total-followers_gained').locator('.value')).not.toHaveText('—');
  await expect(dialog().getByTestId('report-daily-chart').locator('rect').first()).toBeVisible();
  await expect(dialog().getByTestId('report-followers-chart').locator('path')).toHaveCount(2);
  await expect(dialog().getByTestId('report-top').locator('li')).toHaveCount(5);
  await expect(dialog().getByTestId('report-said')).toContainText('The inbox has no conversations for this period.');
  await page.screenshot({ path: test.info().outputPath('report-top.png') });

  // A custom range, then back.
  await dialog().getByTestId('report-period-custom').click();
  await expect(dialog().getByTestId('report-from')).toBeVisible();
  await dialog().getByTestId('report-period-last').click();
  await expect(dialog().getByTestId('report-period-label')).toContainText(monthLabel(-1));
});

test('type a summary: it is kept with the period', async () => {
  await dialog().getByTestId('report-summary').fill('Buen mes: más interacciones con las fotos del obrador.');
  await dialog().getByTestId('report-plan').fill('Diciembre: campaña de roscones.');
  await dialog().getByTestId('report-save-texts').click();
  await expect(page.getByText('Summary and plan saved.')).toBeVisible();
  await dialog().getByTestId('report-period-this').click();
  await expect(dialog().getByTestId('report-summary')).toHaveValue('');
  await dialog().getByTestId('report-period-last').click();
  await expect(dialog().getByTestId('report-summary')).toHaveValue('Buen mes: más interacciones con las fotos del obrador.');
});

test('export the PDF and the CSV', async () => {
  await page.screenshot({ path: test.info().outputPath('report.png') });
  await dialog().getByTestId('report-author').fill('Lucía Pérez');
  await dialog().getByTestId('report-open-folder').uncheck(); // no file manager under test
  await dialog().getByTestId('report-export-pdf').click();
  const status = dialog().getByTestId('report-exported');
  await expect(status).toHaveText(/Panadería Sol \d{4}-\d{2}\.pdf$/);
  const pdf = readFileSync((await status.textContent())!.trim());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

  await dialog().getByTestId('report-separator').selectOption(';');
  await dialog().getByTestId('report-export-csv').click();
  await expect(status).toHaveText(/\.csv$/);
  const csv = readFileSync((await status.textContent())!.trim(), 'utf8');
  expect(csv.startsWith('\ufefffecha;hora;red')).toBe(true); // the client's language (es), BOM + ';'
  expect(csv.split('\r\n').filter(Boolean).length).toBeGreaterThan(10);
});

// Meta Business Suite's export of post insights: "Publish time" in the
// page's zone, month first. The native file dialog is the one seam replaced.
test('import figures from the network’s CSV export', async () => {
  const clientId = Number(await dialog().getByTestId('report-client').inputValue());
  const now = new Date();
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString().slice(0, 7);
  const view = await page.evaluate(
    ([id, m]) => (window as unknown as GoWindow).go.app.ReportService.Get({ clientId: id, month: m }),
    [clientId, month] as const,
  );
  const ig = view.report.posts.find((p) => p.network === 'instagram');
  expect(ig, 'the demo has an Instagram post last month').toBeTruthy();
  const local = new Intl.DateTimeFormat('en-US', {
    timeZone: view.report.client.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(new Date(ig!.publishedAt).getTime() + 3 * 60_000)); // "MM/DD/YYYY, HH:MM", 3 min later
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pauta-e2e-figures-'));
  const file = path.join(dir, 'Insights.csv');
  const write = (likes: string) =>
    writeFileSync(
      file,
      'Post ID,Account username,Description,Publish time,Permalink,Post type,Impressions,Reach,Likes,Shares,Comments,Saves\r\n' +
        `1801,demo,"Foto, con coma",${local.replace(',', '')},https://www.instagram.com/p/E2E1/,IG image,"5,210","4,480",${likes},31,27,40\r\n` +
        '1802,demo,Not from Pauta,01/02/2020 10:00,https://www.instagram.com/p/OTHER/,IG image,10,10,1,0,0,0\r\n',
    );
  write('-5');
  await page.evaluate((p) => {
    (window as unknown as GoWindow).go.app.ImportService.PickFile = async () => p;
  }, file);

  await dialog().getByTestId('report-period-last').click();
  await dialog().getByTestId('report-import-figures').click();
  const imp = page.getByTestId('figures-import');
  await expect(imp).toBeVisible();
  await imp.getByTestId('figures-choose').click();
  await expect(imp.getByTestId('figures-summary')).toBeVisible();
  const accounts = imp.getByTestId('figures-account');
  if ((await accounts.count()) > 0 && (await accounts.inputValue()) !== String(ig!.accountId)) {
    await accounts.selectOption(String(ig!.accountId));
    await expect(accounts).toHaveValue(String(ig!.accountId));
  }
  // A negative figure: the row is to fix, nothing can be imported.
  await expect(imp.getByTestId('figures-row').first()).toHaveAttribute('data-status', 'invalid');
  await expect(imp.getByTestId('figures-row').first()).toContainText('Likes: A figure cannot be negative.');
  await expect(imp.getByTestId('figures-apply')).toBeDisabled();

  write('4321');
  await imp.getByTestId('figures-recheck').click();
  await expect(imp.getByTestId('figures-summary')).toContainText('1 post will get figures');
  await expect(imp.getByTestId('figures-summary')).toContainText('1 row left out');
  await expect(imp.getByTestId('figures-row').first()).toHaveAttribute('data-status', 'matched');
  await expect(imp.getByTestId('figures-row').first()).toContainText('by time');
  await expect(imp.getByTestId('figures-row').nth(1)).toContainText('No published post of this account within 10 minutes');
  await expect(imp.getByTestId('figures-columns')).toContainText('Reach → reach');
  await page.screenshot({ path: test.info().outputPath('figures-import.png') });
  await imp.getByTestId('figures-apply').click();
  await expect(page.getByText('Figures of 1 post imported.')).toBeVisible();
  await expect(imp).toBeHidden();
  // The report shows them, entered by hand: the post leads the top posts.
  const first = dialog().getByTestId('report-top').locator('li').first();
  await expect(first).toContainText('4321');
  await expect(first).toContainText('entered by hand');

  await dialog().getByTestId('report-close').click();
  await expect(dialog()).toBeHidden();
});

test('type the figures of a published manual post in its detail', async () => {
  await page.getByTestId('client-item').filter({ hasText: CLIENT }).getByRole('button').first().click();
  const chip = page.locator('[data-testid=post-chip][data-status=published]').first();
  test.skip((await chip.count()) === 0, 'nothing of the demo week is published yet (Monday before 08:30)');
  await chip.click();
  const figures = page.getByTestId('composer').getByTestId('manual-figures');
  await expect(figures).toBeVisible();
  const first = figures.locator('[data-testid^=manual-figures-]').first();
  await first.getByTestId('manual-likes').fill('doce');
  await first.getByTestId('manual-save').click();
  await expect(first.getByTestId('manual-error')).toHaveText('Type a whole number, without letters.');
  await first.getByTestId('manual-likes').fill('-4');
  await first.getByTestId('manual-save').click();
  await expect(first.getByTestId('manual-error')).toHaveText('A figure cannot be negative.');
  await first.getByTestId('manual-likes').fill('12');
  await first.getByTestId('manual-comments').fill('3');
  await first.getByTestId('manual-save').click();
  await expect(page.getByText('Figures saved.')).toBeVisible();
  await expect(first.getByTestId('manual-error')).toHaveCount(0);
  await page.getByTestId('composer-close').click();
  await expect(page.getByTestId('composer')).toBeHidden();
});
