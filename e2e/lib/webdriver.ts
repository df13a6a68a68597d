// A minimal W3C WebDriver client over fetch, for WebKitGTK's own driver
// (WebKitWebDriver + MiniBrowser; facts in shared/reference/webkit-webdriver.md).
// Only what the WebKitGTK pass uses: session, navigation, script, keys,
// window size and screenshots.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
export const MINIBROWSER = process.env.E2E_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

export const Keys = { Escape: '\uE00C', Enter: '\uE007', Tab: '\uE004' } as const;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** WebKitWebDriver on its own virtual display (xvfb-run -a), in its own process group. */
export class Driver {
  private proc: ChildProcess | null = null;
  private base = '';

  async start(screen = '1600x1200x24'): Promise<void> {
    const port = await freePort();
    this.proc = spawn('xvfb-run', ['-a', '-s', `-screen 0 ${screen}`, 'WebKitWebDriver', `--port=${port}`], {
      detached: true,
      stdio: 'ignore',
    });
    this.base = `http://127.0.0.1:${port}`;
    const t0 = Date.now();
    for (;;) {
      try {
        const r = await fetch(`${this.base}/status`);
        if (r.ok) return;
      } catch {
        /* not up yet */
      }
      if (Date.now() - t0 > 30_000) throw new Error('WebKitWebDriver did not answer in 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async session(): Promise<Session> {
    const v = await call(this.base, 'POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
        },
      },
    });
    return new Session(this.base, (v as { sessionId: string }).sessionId);
  }

  stop(): void {
    if (this.proc?.pid) {
      try {
        process.kill(-this.proc.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
    this.proc = null;
  }
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await fetch(base + path, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const j = (await r.json().catch(() => ({}))) as { value?: { error?: string; message?: string } & Record<string, unknown> };
  if (!r.ok || (j.value && typeof j.value === 'object' && 'error' in j.value && j.value.error)) {
    throw new Error(`WebDriver ${method} ${path}: ${r.status} ${j.value?.error ?? ''} ${j.value?.message ?? ''}`);
  }
  return j.value;
}

export class Session {
  constructor(private base: string, readonly id: string) {}

  private c(method: string, path: string, body?: unknown) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async go(url: string) {
    await this.c('POST', '/url', { url });
  }

  /** Runs fn(...args) in the page (fn must be self-contained); awaits a returned promise. */
  async run<T>(fn: (...a: never[]) => T | Promise<T>, ...args: unknown[]): Promise<T> {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn.toString()})(...Array.from(arguments).slice(0, -1)))
        .then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ err: String(e && e.stack || e) }));`;
    const v = (await this.c('POST', '/execute/async', { script, args })) as { ok?: T; err?: string };
    if (v && v.err) throw new Error(`in page: ${v.err}`);
    return v.ok as T;
  }

  /** Waits until fn(...args) is truthy in the page. */
  async waitFor(what: string, fn: (...a: never[]) => unknown, args: unknown[] = [], timeout = 20_000): Promise<void> {
    const t0 = Date.now();
    for (;;) {
      if (await this.run(fn, ...args)) return;
      if (Date.now() - t0 > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async waitVisible(selector: string, timeout = 20_000) {
    await this.waitFor(selector, (s: string) => {
      const el = document.querySelector<HTMLElement>(s);
      return !!el && el.getClientRects().length > 0;
    }, [selector], timeout);
  }

  async waitGone(selector: string, timeout = 10_000) {
    await this.waitFor(`${selector} to go`, (s: string) => !document.querySelector(s), [selector], timeout);
  }

  /** A real click (WebDriver element click: scrolls into view, checks it is hit). */
  async click(selector: string) {
    await this.waitVisible(selector);
    const el = (await this.c('POST', '/element', { using: 'css selector', value: selector })) as Record<string, string>;
    const id = el[ELEMENT] ?? Object.values(el)[0];
    if (!id) throw new Error(`no element id for ${selector}: ${JSON.stringify(el)}`);
    await this.c('POST', `/element/${id}/click`, {});
  }

  async key(value: string) {
    await this.c('POST', '/actions', {
      actions: [{ type: 'key', id: 'kbd', actions: [{ type: 'keyDown', value }, { type: 'keyUp', value }] }],
    });
    await this.c('DELETE', '/actions');
  }

  /** Resizes the window so that the page's viewport is exactly w×h. */
  async viewport(w: number, h: number) {
    for (let i = 0; i < 3; i++) {
      const rect = (await this.c('GET', '/window/rect')) as { width: number; height: number };
      const inner = await this.run(() => [document.documentElement.clientWidth, window.innerHeight]);
      if (inner[0] === w && inner[1] === h) return;
      await this.c('POST', '/window/rect', { width: rect.width + (w - inner[0]), height: rect.height + (h - inner[1]) });
      await new Promise((r) => setTimeout(r, 300));
    }
    const inner = await this.run(() => [document.documentElement.clientWidth, window.innerHeight]);
    if (inner[0] !== w || inner[1] !== h) throw new Error(`viewport is ${inner[0]}×${inner[1]}, wanted ${w}×${h}`);
  }

  async screenshot(): Promise<Buffer> {
    return Buffer.from((await this.c('GET', '/screenshot')) as string, 'base64');
  }

  async close() {
    await this.c('DELETE', '').catch(() => {});
  }
}
