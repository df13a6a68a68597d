// Calendar filters (network, label, status; the client is the sidebar's
// choice). Pure: the calendar keeps one Filters value while the user moves
// through weeks and months, and applies it to whatever posts are loaded.

export const STATUSES = ['idea', 'draft', 'scheduled', 'published', 'failed', 'needs_review'] as const;
export type Status = (typeof STATUSES)[number];
/** A status filter of its own (issue 19): posts the outbox holds until the client approves them. */
export const AWAITING_APPROVAL = 'awaiting_approval';

export interface Filters {
  network: string; // "" = any
  label: string; // "" = any
  status: string; // "" = any
}

export const NO_FILTERS: Filters = Object.freeze({ network: '', label: '', status: '' });

/** The fields of a post the filters read. */
export interface Filterable {
  status: string;
  labels?: readonly string[] | null;
  variants: readonly { network: string }[];
  approval?: { waiting: boolean } | null;
}

export function isFiltering(f: Filters): boolean {
  return f.network !== '' || f.label !== '' || f.status !== '';
}

/** How many filters are set (for the "clear (n)" button). */
export function activeCount(f: Filters): number {
  return (f.network ? 1 : 0) + (f.label ? 1 : 0) + (f.status ? 1 : 0);
}

/** Labels compare case-insensitively, as the backend stores them (trimmed, deduplicated ignoring case). */
function sameLabel(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

export function matches(p: Filterable, f: Filters): boolean {
  if (f.status === AWAITING_APPROVAL) {
    if (!p.approval?.waiting) return false;
  } else if (f.status && p.status !== f.status) return false;
  if (f.network && !p.variants.some((v) => v.network === f.network)) return false;
  if (f.label && !(p.labels ?? []).some((l) => sameLabel(l, f.label))) return false;
  return true;
}

/** The posts that pass the filters; the same array when nothing is filtered (cheap re-renders). */
export function applyFilters<T extends Filterable>(posts: readonly T[], f: Filters): readonly T[] {
  if (!isFiltering(f)) return posts;
  return posts.filter((p) => matches(p, f));
}

/**
 * Labels offered in the filter: the backend's list for one client (most used
 * first) or, for "All clients", the labels of the loaded posts by frequency.
 * The selected label stays offered even when no loaded post carries it.
 */
export function gatherLabels(posts: readonly Filterable[], selected = ''): string[] {
  const count = new Map<string, { label: string; n: number }>();
  for (const p of posts) {
    for (const l of p.labels ?? []) {
      const k = l.toLocaleLowerCase();
      const e = count.get(k);
      if (e) e.n++;
      else count.set(k, { label: l, n: 1 });
    }
  }
  const out = [...count.values()].sort((a, b) => b.n - a.n || a.label.localeCompare(b.label)).map((e) => e.label);
  return withSelected(out, selected);
}

export function withSelected(list: readonly string[], selected: string): string[] {
  if (!selected || list.some((l) => sameLabel(l, selected))) return [...list];
  return [...list, selected];
}

/** Parses a stored Filters value, dropping anything unknown. */
export function parseFilters(raw: unknown): Filters {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const status = str(o.status);
  return {
    network: str(o.network),
    label: str(o.label),
    status: (STATUSES as readonly string[]).includes(status) || status === AWAITING_APPROVAL ? status : '',
  };
}
