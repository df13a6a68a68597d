// A small cache of fetched calendar ranges, so the month or week the user is
// most likely to open next (the one before, the one after, the other grid
// for the same day) is already in memory and paints without a round trip.
// The calendar clears it on every "posts:changed" event and after a save;
// entries also expire after `ttl` ms in case an event was missed.
import { stepAnchor, viewRange, type Day, type View } from './dates';
import { now as clockNow } from '../clock';

export class RangeCache<T> {
  private map = new Map<string, { value: T; at: number }>();
  constructor(
    private max = 8,
    private ttl = 60_000,
    private now: () => number = clockNow,
  ) {}

  static key(clientId: number, from: Day, to: Day): string {
    return `${clientId}|${from}|${to}`;
  }

  get(key: string): T | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (this.now() - e.at > this.ttl) {
      this.map.delete(key);
      return undefined;
    }
    // Most recently used last.
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  /** Like get, without touching the order (safe inside a $derived). */
  peek(key: string): T | undefined {
    const e = this.map.get(key);
    return e && this.now() - e.at <= this.ttl ? e.value : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: T): void {
    this.map.delete(key);
    this.map.set(key, { value, at: this.now() });
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}

/** The ranges worth prefetching from a view: the previous and next ones, and the other grid for the same day. */
export function neighbourRanges(view: View, anchor: Day): { from: Day; to: Day }[] {
  const r = (v: View, a: Day) => {
    const { from, to } = viewRange(v, a);
    return { from, to };
  };
  const out = [r(view, stepAnchor(view, anchor, 1)), r(view, stepAnchor(view, anchor, -1))];
  if (view === 'month') out.push(r('week', anchor));
  if (view === 'week') out.push(r('month', anchor));
  return out;
}
