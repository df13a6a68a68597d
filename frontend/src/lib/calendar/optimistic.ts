// Optimistic changes laid over the posts the backend sent: a moved post's
// new version, or null for a deleted one. Each override lives until a fetch
// that started after the backend confirmed it (`until` = that fetch's
// sequence number; Infinity while the call is in flight), so a fetch that
// was already on its way cannot undo the change on screen.

export interface Override<T> {
  post: T | null; // null = hidden (deleted, or an idea moved onto the calendar)
  until: number;
}

/** The list with the overrides applied: replaced in place, hidden, or appended when new to the list. */
export function applyOverrides<T extends { id: number }>(list: readonly T[], ov: ReadonlyMap<number, Override<T>>): readonly T[] {
  if (ov.size === 0) return list;
  const out: T[] = [];
  const seen = new Set<number>();
  for (const p of list) {
    const o = ov.get(p.id);
    if (!o) out.push(p);
    else {
      seen.add(p.id);
      if (o.post) out.push(o.post);
    }
  }
  for (const [id, o] of ov) if (o.post && !seen.has(id)) out.push(o.post);
  return out;
}

/** The overrides still needed after a fetch with sequence number `seq` resolved. */
export function settle<T>(ov: ReadonlyMap<number, Override<T>>, seq: number): Map<number, Override<T>> {
  const out = new Map<number, Override<T>>();
  for (const [id, o] of ov) if (o.until >= seq) out.set(id, o);
  return out;
}

/** A copy of map with id's override set (or removed, for undefined). */
export function withOverride<P>(map: ReadonlyMap<number, Override<P>>, id: number, o: Override<P> | undefined): Map<number, Override<P>> {
  const next = new Map(map);
  if (o) next.set(id, o);
  else next.delete(id);
  return next;
}
