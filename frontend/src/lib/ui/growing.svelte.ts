// Long lists drawn a part at a time: a first batch that fills a tall
// screen, then more each time the end of the drawn rows scrolls near
// (the inbox's page of 200 rows, a backlog of posts due by hand). Drawing
// every row at once made opening those screens slow, and rows out of view
// cost as much to build as the ones in view.

export class Growing {
  /** How many rows to draw. */
  shown = $state(0);

  constructor(
    readonly first: number,
    readonly step: number,
  ) {
    this.shown = first;
  }

  /** Back to the first batch (a new list). */
  reset(): void {
    this.shown = this.first;
  }

  /** Draws a step more, or up to row i and a step after it (keyboard moves). */
  more(i = this.shown): void {
    this.shown = Math.max(this.shown + this.step, i + this.step);
  }

  /**
   * An attachment for an empty element right after the drawn rows: when it
   * comes within 600 px of the bottom of its scrolling box, more are drawn.
   * It runs again once they are (it reads shown), and a new observer tells
   * at once whether the end is still near (a tall window).
   */
  sentinel = (el: HTMLElement): (() => void) => {
    void this.shown;
    const obs = new IntersectionObserver((es) => es.some((e) => e.isIntersecting) && this.more(), {
      root: scrollParent(el),
      rootMargin: '0px 0px 600px 0px',
    });
    obs.observe(el);
    return () => obs.disconnect();
  };
}

/** The nearest ancestor that scrolls (null: the viewport). */
export function scrollParent(el: HTMLElement): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (/(auto|scroll)/.test(getComputedStyle(p).overflowY)) return p;
  }
  return null;
}
