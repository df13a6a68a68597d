// Pointer-event drag and drop for post chips and ideas (no HTML5 DnD: it is
// unreliable in WebKitGTK, and pointer events are what Playwright's
// dragTo / mouse.down-move-up produce in every engine). A drag starts after
// the pointer moves 4 px with the button held; a ghost follows the pointer;
// the day cell or week slot under it is highlighted; Escape cancels. The
// click that follows a drag is swallowed so the chip does not also open.
import { targetFromData, type DropTarget } from '../../lib/calendar/dnd';

export interface DragSource {
  id: number;
  time: string; // "HH:MM", "" for an idea
}

const THRESHOLD = 4;
const TARGETS = '[data-testid=day-cell],[data-testid=slot]';

let active = false;

/** True while a drag is in progress (the grids ignore hover work meanwhile). */
export function dragging(): boolean {
  return active;
}

/**
 * Call from a pointerdown on a draggable element. ondrop gets the source and
 * where it landed (never called for a cancelled drag or a drop outside the grid).
 */
export function beginDrag(e: PointerEvent, el: HTMLElement, src: DragSource, ondrop: (src: DragSource, to: DropTarget) => void): void {
  if (e.button !== 0 || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
  const x0 = e.clientX;
  const y0 = e.clientY;
  let ghost: HTMLElement | null = null;
  let over: HTMLElement | null = null;
  let dx = 0;
  let dy = 0;

  const setOver = (next: HTMLElement | null) => {
    if (next === over) return;
    over?.classList.remove('drop-over');
    next?.classList.add('drop-over');
    over = next;
  };

  const start = () => {
    active = true;
    const r = el.getBoundingClientRect();
    dx = x0 - r.left;
    dy = y0 - r.top;
    ghost = el.cloneNode(true) as HTMLElement;
    ghost.removeAttribute('data-testid');
    ghost.removeAttribute('id');
    ghost.setAttribute('aria-hidden', 'true');
    ghost.className += ' drag-ghost';
    Object.assign(ghost.style, {
      position: 'fixed',
      left: '0',
      top: '0',
      width: `${Math.max(r.width, 120)}px`,
      height: `${r.height}px`,
      margin: '0',
      zIndex: '10000',
      pointerEvents: 'none',
      opacity: '0.9',
      boxShadow: '0 6px 18px rgb(15 23 42 / 0.25)',
    });
    document.body.appendChild(ghost);
    el.classList.add('drag-source');
    document.documentElement.classList.add('dragging');
  };

  const move = (ev: PointerEvent) => {
    if (!ghost) {
      if (Math.abs(ev.clientX - x0) < THRESHOLD && Math.abs(ev.clientY - y0) < THRESHOLD) return;
      start();
    }
    ev.preventDefault();
    ghost!.style.transform = `translate(${ev.clientX - dx}px, ${ev.clientY - dy}px)`;
    const hit = document.elementFromPoint(ev.clientX, ev.clientY);
    setOver(hit?.closest<HTMLElement>(TARGETS) ?? null);
  };

  const finish = (drop: boolean) => {
    window.removeEventListener('pointermove', move, true);
    window.removeEventListener('pointerup', up, true);
    window.removeEventListener('pointercancel', cancel, true);
    window.removeEventListener('keydown', key, true);
    if (!ghost) return;
    const target = over;
    setOver(null);
    ghost.remove();
    ghost = null;
    el.classList.remove('drag-source');
    document.documentElement.classList.remove('dragging');
    active = false;
    // Swallow the click the browser sends after the pointerup of a drag.
    const swallow = (c: MouseEvent) => {
      c.stopPropagation();
      c.preventDefault();
    };
    window.addEventListener('click', swallow, { capture: true, once: true });
    setTimeout(() => window.removeEventListener('click', swallow, true), 0);
    if (!drop || !target) return;
    const to = targetFromData({ testid: target.dataset.testid, date: target.dataset.date, hour: target.dataset.hour });
    if (to) ondrop(src, to);
  };
  const up = (ev: PointerEvent) => {
    if (ghost) move(ev);
    finish(true);
  };
  const cancel = () => finish(false);
  const key = (ev: KeyboardEvent) => {
    if (ev.key === 'Escape' && ghost) {
      ev.preventDefault();
      ev.stopPropagation();
      finish(false);
    }
  };

  window.addEventListener('pointermove', move, true);
  window.addEventListener('pointerup', up, true);
  window.addEventListener('pointercancel', cancel, true);
  window.addEventListener('keydown', key, true);
}
