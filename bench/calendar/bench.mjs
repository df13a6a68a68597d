// Calendar paint bench, run by run.sh against `wails dev` on a seeded data
// dir (20 clients, 10,000 posts). Each sample: performance.now() in the page
// right before the navigation click, to the calendar's "calendar:painted"
// event (fired two animation frames after the fetched posts reached the DOM;
// see features/calendar/Calendar.svelte). So it covers the SQLite query,
// Go → JS, Svelte's DOM update, style, layout and paint.
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../e2e/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const URL_ = process.env.BENCH_URL ?? 'http://localhost:34115';
const N = Number(process.env.N ?? 5);
const GOALS = { 'month open': 100, 'next month': 100, 'week open': 150, 'next week': 150, 'list view': null, 'month, one client': 100 };

const browser = await chromium.launch({
  executablePath: process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: 'es-ES', timezoneId: 'Europe/Madrid' });
const errors = [];
page.on('pageerror', (e) => {
  if (!/\/wails\/ipc\.js/.test(String(e.stack))) errors.push(String(e.stack ?? e));
});
page.on('console', (m) => {
  if (m.type() === 'error') errors.push(`console: ${m.text()}`);
});
await page.goto(URL_);
try {
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'calendar', null, { timeout: 120_000 });
} catch (e) {
  await page.screenshot({ path: new URL('../out/calendar/not-ready.png', import.meta.url).pathname }).catch(() => {});
  console.error('calendar never became ready; page errors:', errors, 'ready =', await page.evaluate(() => document.documentElement.dataset.ready));
  throw e;
}
await page.waitForTimeout(500);

/** Clicks a button in the page and resolves with the time to the next painted event. */
async function timed(testid) {
  return page.evaluate(
    (sel) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no calendar:painted after clicking ${sel}`)), 20_000);
        const el = document.querySelector(`[data-testid=${sel}]`);
        if (!el) return reject(new Error(`no [data-testid=${sel}]`));
        const t0 = performance.now();
        window.addEventListener(
          'calendar:painted',
          (e) => {
            clearTimeout(timer);
            resolve({ ms: e.detail.at - t0, fetchMs: e.detail.fetchMs, domMs: e.detail.domMs, posts: e.detail.posts, chips: document.querySelectorAll('[data-testid=post-chip]').length });
          },
          { once: true },
        );
        el.click();
      }),
    testid,
  );
}

// Between samples the user looks at what was painted (and the calendar
// prefetches the neighbouring ranges meanwhile).
const PAUSE = Number(process.env.BENCH_PAUSE_MS ?? 1000);
async function settle() {
  await page.evaluate((ms) => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, ms)))), PAUSE);
}

/** Navigation that is not measured; it may not change the range (then nothing is fetched or painted). */
const clickAndWait = async (testid) => {
  await page.evaluate(
    (sel) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, 1500);
        window.addEventListener('calendar:painted', () => (clearTimeout(timer), resolve()), { once: true });
        document.querySelector(`[data-testid=${sel}]`)?.click();
      }),
    testid,
  );
  await settle();
};

async function sample(results, name, prepare, testid) {
  results[name] = [];
  for (let i = 0; i <= N; i++) {
    if (prepare) await prepare(i);
    const r = await timed(testid);
    await settle();
    if (i > 0) results[name].push(r); // the first run warms up
  }
}

async function pass(label) {
  const results = {};
  await clickAndWait('all-clients');
  await clickAndWait('view-month');
  await clickAndWait('cal-today');
  await clickAndWait('view-week');
  // Month open: from the week view, click "Month".
  await sample(results, 'month open', () => clickAndWait('view-week'), 'view-month');
  // Next month, N+1 times in a row from this month.
  await clickAndWait('cal-today');
  await sample(results, 'next month', null, 'cal-next');
  await clickAndWait('cal-today');
  // Week open: from the month view, click "Week".
  await sample(results, 'week open', () => clickAndWait('view-month'), 'view-week');
  await clickAndWait('cal-today');
  await sample(results, 'next week', null, 'cal-next');
  await clickAndWait('cal-today');
  // List: from the month view, click "List" (30 days from the focused day).
  await sample(results, 'list view', () => clickAndWait('view-month'), 'view-list');
  // One client's month: select the first client in the sidebar.
  await clickAndWait('view-month');
  await page.evaluate(() => document.querySelector('[data-testid=client-item] button')?.click());
  await settle();
  await sample(results, 'month, one client', () => clickAndWait('view-week'), 'view-month');
  await clickAndWait('all-clients');
  return { label, results };
}

const fmt = (x) => x.toFixed(1).padStart(6);
let ok = true;
function report({ label, results }, judge) {
  console.log(`\n${label}: ${N} runs each after a warm-up; ms from the click to two frames after the DOM update`);
  console.log('case                 |  min   | median | fetch med | DOM med | posts | chips | goal     | ok');
  for (const [name, rs] of Object.entries(results)) {
    const med = (k) => rs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(rs.length / 2)];
    const ms = rs.map((r) => r.ms).sort((a, b) => a - b);
    const goal = GOALS[name];
    const pass = goal == null ? true : med('ms') < goal;
    if (judge) ok &&= pass;
    console.log(
      `${name.padEnd(20)} | ${fmt(ms[0])} | ${fmt(med('ms'))} | ${fmt(med('fetchMs'))}    | ${fmt(med('domMs'))}  | ${String(rs[0].posts).padStart(5)} | ${String(rs[0].chips).padStart(5)} | ${goal == null ? '   –    ' : `< ${goal} ms`} | ${goal == null ? '–' : pass ? 'yes' : 'NO'}`,
    );
  }
}

// Pass 1: as the app runs (neighbouring ranges prefetched while idle).
const warm = await pass('with prefetch (as shipped)');
// Pass 2: every navigation waits for Go (prefetch off), the cold path.
await page.evaluate(() => localStorage.setItem('pauta.noPrefetch', '1'));
await page.reload();
await page.waitForFunction(() => document.documentElement.dataset.ready === 'calendar', null, { timeout: 120_000 });
await settle();
const cold = await pass('cold: no prefetch, every navigation queries Go');
await page.evaluate(() => localStorage.removeItem('pauta.noPrefetch'));
report(warm, true);
report(cold, false);
if (errors.length) console.log('page errors:', errors);
await browser.close();
process.exit(ok || !process.env.BENCH_STRICT ? 0 : 1);
