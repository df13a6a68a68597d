// The first screen's data, asked for while the settings and the workspace
// load (App's boot), so the calendar's first fetch is already under way when
// it mounts instead of starting after it (issue 18: first paint). A primed
// request is handed over once, by its key; what is not taken is dropped.
export class Primed<T> {
  private waiting = new Map<string, Promise<T>>();

  /** Starts fetch now for whoever takes key later. */
  prime(key: string, fetch: () => Promise<T>): void {
    const p = fetch();
    p.catch(() => {}); // reported by the taker, if one comes
    this.waiting.set(key, p);
  }

  /** The request primed under key, once; undefined when there is none. */
  take(key: string): Promise<T> | undefined {
    const p = this.waiting.get(key);
    this.waiting.delete(key);
    return p;
  }

  /** Drops everything primed (its data may be stale: e.g. the demo was just created). */
  clear(): void {
    this.waiting.clear();
  }
}
