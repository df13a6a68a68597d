// Pure logic of the outbox view and the "Due now" panel: grouping rows by
// state, what needs attention, post URL validation, times in a client's zone.
import type { OutboxItem } from '../../lib/api';

/** The view's groups, in display order. */
export const GROUP_ORDER = ['due_manual', 'failed', 'needs_review', 'missed', 'pending', 'sending', 'published'] as const;
export type GroupState = (typeof GROUP_ORDER)[number];

/** States that wait for the user. */
const ATTENTION = new Set<string>(['due_manual', 'failed', 'needs_review', 'missed']);

type Row = Pick<OutboxItem, 'variantId' | 'postId' | 'state' | 'due' | 'waiting'> & { publishedAt?: unknown; commentState?: string };
type Stated = Pick<OutboxItem, 'state'> & { commentState?: string };

/**
 * The group a row shows in: its state, except a published post whose first
 * comment failed or may not have gone out, which waits for the user there.
 */
export function groupState(item: Stated): string {
  if (item.state === 'published' && (item.commentState === 'failed' || item.commentState === 'needs_review')) return item.commentState;
  return item.state;
}

export function needsAttention(item: Stated): boolean {
  return ATTENTION.has(groupState(item));
}

/** How many rows wait for the user (the badge). */
export function attentionCount(items: readonly Stated[]): number {
  let n = 0;
  for (const it of items) if (needsAttention(it)) n++;
  return n;
}

function ms(v: unknown): number {
  const t = typeof v === 'string' || v instanceof Date ? new Date(v).getTime() : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Rows grouped by state, in GROUP_ORDER, only non-empty groups; each by due
 * time (published: newest first). A variant appears once (the latest list wins).
 */
export function groupItems<T extends Row>(items: readonly T[]): { state: GroupState; items: T[] }[] {
  const byId = new Map<number, T>();
  for (const it of items) byId.set(it.variantId, it);
  const groups = new Map<string, T[]>();
  for (const it of byId.values()) {
    const g = groupState(it);
    const list = groups.get(g);
    if (list) list.push(it);
    else groups.set(g, [it]);
  }
  const out: { state: GroupState; items: T[] }[] = [];
  for (const state of GROUP_ORDER) {
    const list = groups.get(state);
    if (!list?.length) continue;
    if (state === 'published') list.sort((a, b) => ms(b.publishedAt ?? b.due) - ms(a.publishedAt ?? a.due) || b.variantId - a.variantId);
    else list.sort((a, b) => ms(a.due) - ms(b.due) || a.variantId - b.variantId);
    out.push({ state, items: list });
  }
  return out;
}

/** Posts with a due variant waiting for the connection (calendar chips). */
export function waitingPosts(items: readonly Row[]): Set<number> {
  const s = new Set<number>();
  for (const it of items) if (it.state === 'pending' && it.waiting === 'offline') s.add(it.postId);
  return s;
}

/**
 * Posts waiting to be published by hand (a due_manual row), by post id:
 * 'due' from their time, 'overdue' once more than the grace period late.
 */
export function handPosts(items: readonly Row[], nowMs: number, graceMinutes: number): Map<number, 'due' | 'overdue'> {
  const out = new Map<number, 'due' | 'overdue'>();
  for (const it of items) {
    if (it.state !== 'due_manual') continue;
    const due = new Date(it.due as string).getTime();
    const late = Number.isFinite(due) && nowMs - due > graceMinutes * 60_000;
    if (out.get(it.postId) !== 'overdue') out.set(it.postId, late ? 'overdue' : 'due');
  }
  return out;
}

/** A pasted post link: empty (none) or an http(s) URL with a host. */
export function isValidPostUrl(s: string): boolean {
  const v = s.trim();
  if (!v) return true;
  if (/\s/.test(v)) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The first words of a text, on one line, at most n characters. */
export function excerpt(text: string, n = 140): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(one);
  return chars.length <= n ? one : chars.slice(0, n - 1).join('').trimEnd() + '…';
}

/** Date and time of an instant in a zone: { date: YYYY-MM-DD, time: HH:MM }. */
export function localParts(at: unknown, zone: string): { date: string; time: string } {
  const d = new Date(ms(at));
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone || undefined, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  } catch {
    parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  }
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();

/** "Tue 24 Nov, 11:00" (per locale) of an instant in the client's zone. */
export function formatWhen(at: unknown, zone: string, locale: string): string {
  const key = `${locale}|${zone}`;
  let f = fmtCache.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: zone || undefined });
    } catch {
      f = new Intl.DateTimeFormat(locale, opts);
    }
    fmtCache.set(key, f);
  }
  const t = ms(at);
  return t ? f.format(new Date(t)) : '';
}

/** A local "YYYY-MM-DDTHH:MM" (as the backend returns it) split for display. */
export function splitLocal(local: string): { date: string; time: string } {
  const [date = '', time = ''] = local.split('T');
  return { date, time: time.slice(0, 5) };
}

/** Calls fn once, ms after the last of a burst of calls. */
export function debounce(fn: () => void, wait: number): { (): void; cancel(): void } {
  let id: ReturnType<typeof setTimeout> | undefined;
  const d = () => {
    if (id !== undefined) clearTimeout(id);
    id = setTimeout(() => {
      id = undefined;
      fn();
    }, wait);
  };
  d.cancel = () => {
    if (id !== undefined) clearTimeout(id);
    id = undefined;
  };
  return d;
}

/** Due-now ids to show: the due ones not dismissed, newly announced ones always. */
export function visibleDue(dueIds: readonly number[], dismissed: ReadonlySet<number>): number[] {
  return dueIds.filter((id) => !dismissed.has(id));
}

/** The outbox view's filters: "" = any. */
export interface OutboxFilter {
  clientId: number; // 0 = any
  network: string;
  state: string; // a group state
  search: string;
}

type Filterable = Row & Pick<OutboxItem, 'clientId' | 'network' | 'handle' | 'text' | 'clientName'>;

/** The rows that pass the filters; search matches text, handle and client, any case and accent. */
export function filterItems<T extends Filterable>(items: readonly T[], f: OutboxFilter): T[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = fold(f.search.trim()).split(/\s+/).filter(Boolean);
  return items.filter((it) => {
    if (f.clientId && it.clientId !== f.clientId) return false;
    if (f.network && it.network !== f.network) return false;
    if (f.state && groupState(it) !== f.state) return false;
    if (!words.length) return true;
    const hay = fold(`${it.text} ${it.handle} ${it.clientName}`);
    return words.every((w) => hay.includes(w));
  });
}

/** Consecutive rows of one post together (a group is sorted by time, so a post's networks sit side by side), in first-seen order. */
export function byPost<T extends Pick<Row, 'postId'>>(items: readonly T[]): { postId: number; items: T[] }[] {
  const out: { postId: number; items: T[] }[] = [];
  const at = new Map<number, number>();
  for (const it of items) {
    const i = at.get(it.postId);
    if (i === undefined) {
      at.set(it.postId, out.length);
      out.push({ postId: it.postId, items: [it] });
    } else out[i].items.push(it);
  }
  return out;
}
