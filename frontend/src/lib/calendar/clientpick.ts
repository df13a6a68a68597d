// The calendar's multi-client filter (issue 16): with "All clients" in the
// sidebar, show only some of them. Remembered across sessions.

const KEY = 'pauta.calendarClients';

/** The stored choice, keeping only ids of clients that still exist ([] = all). */
export function parsePicked(raw: string | null, known: ReadonlySet<number>): number[] {
  let v: unknown;
  try {
    v = JSON.parse(raw ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  return [...new Set(v.filter((x): x is number => Number.isInteger(x) && known.has(x)))];
}

export function readPicked(known: ReadonlySet<number>): number[] {
  try {
    return parsePicked(localStorage.getItem(KEY), known);
  } catch {
    return [];
  }
}

export function savePicked(ids: readonly number[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(ids));
  } catch {
    /* private mode: not remembered */
  }
}

/** ids with id added or removed. */
export function togglePicked(ids: readonly number[], id: number): number[] {
  return ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
}

/** The posts of the picked clients (all of them, the same array, when none is picked). */
export function byClients<T extends { clientId: number }>(posts: readonly T[], ids: readonly number[]): readonly T[] {
  if (ids.length === 0) return posts;
  const want = new Set(ids);
  return posts.filter((p) => want.has(p.clientId));
}

/** The picked clients' names in the sidebar's order, the first `max` of them, and how many more. */
export function pickedNames(ids: readonly number[], clients: readonly { id: number; name: string }[], max = 2): { names: string[]; more: number } {
  const want = new Set(ids);
  const names = clients.filter((c) => want.has(c.id)).map((c) => c.name);
  return { names: names.slice(0, max), more: Math.max(0, names.length - max) };
}
