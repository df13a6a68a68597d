// Checks that run inside the page, shared by the Chromium specs (Playwright's
// page.evaluate) and the WebKitGTK pass (WebDriver execute): each function is
// self-contained (no closure over this module), so it can be sent as source.
import { createRequire } from 'node:module';

export const axeSource: string = createRequire(import.meta.url)('axe-core').source;

/**
 * What is wrong with an open dialog's size and place: its box must be inside
 * the viewport, taller than its header (plus room for content), show its
 * header's last control (the close button) inside itself, and nothing in it
 * may scroll sideways. [] = fine.
 */
export function dialogProblems(selector: string): string[] {
  const d = document.querySelector<HTMLElement>(selector);
  if (!d) return [`no element ${selector}`];
  const out: string[] = [];
  const r = d.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  const vh = document.documentElement.clientHeight;
  const box = (b: DOMRect) => `${Math.round(b.left)},${Math.round(b.top)} ${Math.round(b.width)}×${Math.round(b.height)}`;
  if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5) out.push(`box ${box(r)} is not inside the ${vw}×${vh} viewport`);
  const head = d.querySelector<HTMLElement>('header, .dialog-head, h2');
  const hh = head ? head.getBoundingClientRect().height : 0;
  if (r.height < hh + 60) out.push(`height ${Math.round(r.height)} px is not taller than its header (${Math.round(hh)} px) plus content`);
  if (head) {
    const last = head.querySelector<HTMLElement>('button:last-of-type');
    const lb = (last ?? head).getBoundingClientRect();
    if (lb.right > r.right + 0.5 || lb.left < r.left - 0.5) out.push(`header control ${box(lb)} is outside the dialog ${box(r)}`);
  }
  const scrollers = [d, ...Array.from(d.querySelectorAll<HTMLElement>('.form, .dialog-body, .modal-body, .wrap, .body'))];
  for (const el of scrollers) {
    if (el.scrollWidth > el.clientWidth + 1) {
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].filter((c) => !c.startsWith('svelte-')).join('.')} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
    }
  }
  return out;
}

/** The page itself must not scroll sideways. */
export function pageProblems(): string[] {
  const el = document.documentElement;
  return el.scrollWidth > el.clientWidth + 1 ? [`the page scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`] : [];
}

/** axe-core (already injected) on one element: serious and critical violations as lines. */
export async function axeSerious(selector: string): Promise<string[]> {
  type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  const axe = (window as unknown as { axe: { run(el: Element, o: object): Promise<Result> } }).axe;
  const el = document.querySelector(selector);
  if (!el) return [`no element ${selector}`];
  const r = await axe.run(el, { resultTypes: ['violations'] });
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
