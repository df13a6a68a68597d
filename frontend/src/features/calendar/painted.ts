// The calendar's "painted" signal, for the bench, the tests and the app
// (App.svelte starts the outbox once the first data is on screen): two
// frames after fetched data reached the DOM, <html data-painted="n"> counts
// up and a calendar:painted event carries the timings. The first one also
// sets <html data-ready="calendar">.
import type { View } from '../../lib/calendar/dates';

let painted = 0;

export interface PaintedDetail {
  n: number;
  view: View;
  posts: number;
  cached: boolean;
  fetchMs: number;
  domMs: number;
  totalMs: number;
  at: number;
}

/** Marks the data shown at t0 (performance.now()) as painted, two frames on. */
export function markPainted(view: View, t0: number, fetchMs: number, domMs: number, posts: number, cached: boolean) {
  // At once, without waiting for frames (which a hidden window may not draw):
  // calendar:drawn, the data is in the DOM (lib/firstframe.ts, when closing).
  window.dispatchEvent(new CustomEvent('calendar:drawn', { detail: { n: painted + 1 } }));
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      painted++;
      const at = performance.now();
      const root = document.documentElement;
      root.dataset.painted = String(painted);
      const detail: PaintedDetail = { n: painted, view, posts, cached, fetchMs, domMs, totalMs: at - t0, at };
      window.dispatchEvent(new CustomEvent('calendar:painted', { detail }));
      if (root.dataset.ready !== 'calendar') root.dataset.ready = 'calendar';
    }),
  );
}
