// PostView → what the calendar draws. Each post sits at its own client's
// wall clock ("local"), so a Madrid post at 09:00 and a London post at 09:00
// share a row even though they are an hour apart in UTC.
import type { Day } from './dates';
import { approvalState, type ApprovalLike, type ApprovalState } from '../approval';

/** The fields of a PostView the calendar reads (kept narrow for tests). */
export interface PostLike {
  id: number;
  clientId: number;
  status: string;
  text?: string; // a full post (ideas)…
  snippet?: string; // …or the calendar's lean one, already cut as snippet() cuts (Go's backend.Snippet, 60 characters)
  local: string; // "YYYY-MM-DDTHH:MM" or "" for ideas
  variants: { accountId: number; network: string }[];
  labels?: string[] | null;
  serverScheduled?: boolean; // the instance holds it (Mastodon server-side schedule)
  approval?: ApprovalLike | null; // the client's approval (issue 19)
  mediaId?: number; // the first image (0 or absent: none)
}

export interface ClientLike {
  id: number;
  name: string;
  color: string;
}

export interface CalendarItem {
  id: number;
  clientId: number;
  clientName: string;
  color: string;
  status: string;
  day: Day;
  time: string; // "HH:MM"
  minutes: number; // since local midnight
  snippet: string;
  networks: string[]; // distinct, in variant order
  labels: string[];
  local: string; // "YYYY-MM-DDTHH:MM"
  locked: boolean; // published or waiting for review: the backend refuses to move it
  serverScheduled: boolean; // scheduled on the server: goes out even with the laptop closed
  approval: ApprovalState; // '' when approval plays no part
  mediaId: number; // the first image, for a thumbnail (0 = none)
}

/** Statuses the backend refuses to reschedule (backend.CanReschedule). */
export function isLocked(status: string): boolean {
  return status === 'published' || status === 'needs_review';
}

const FALLBACK_COLOR = '#8a94a6';

/** Max characters of a chip's snippet, the ellipsis included (Go's backend.SnippetMax). */
export const SNIPPET_MAX = 60;

/** The first words of a text, on one line, cut at a word boundary. */
export function snippet(text: string, maxChars = SNIPPET_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Maps posts to calendar items, dropping those without a time (ideas). */
export function toItems(posts: readonly PostLike[], clients: readonly ClientLike[]): CalendarItem[] {
  const byId = new Map(clients.map((c) => [c.id, c]));
  const out: CalendarItem[] = [];
  for (const p of posts) {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(p.local);
    if (!m) continue;
    const c = byId.get(p.clientId);
    out.push({
      id: p.id,
      clientId: p.clientId,
      clientName: c?.name ?? '',
      color: c?.color ?? FALLBACK_COLOR,
      status: p.status,
      day: m[1],
      time: `${m[2]}:${m[3]}`,
      minutes: +m[2] * 60 + +m[3],
      snippet: p.snippet ?? snippet(p.text ?? ''),
      networks: [...new Set(p.variants.map((v) => v.network).filter(Boolean))],
      labels: p.labels ?? [],
      local: p.local,
      locked: isLocked(p.status),
      serverScheduled: !!p.serverScheduled,
      approval: p.status === 'published' ? '' : approvalState(p.approval),
      mediaId: p.mediaId ?? 0,
    });
  }
  return out;
}

function byTime(a: CalendarItem, b: CalendarItem): number {
  return a.minutes - b.minutes || a.clientName.localeCompare(b.clientName) || a.id - b.id;
}

/** Items grouped by local day, each day sorted by time. */
export function groupByDay(items: readonly CalendarItem[]): Map<Day, CalendarItem[]> {
  const map = new Map<Day, CalendarItem[]>();
  for (const it of items) {
    const list = map.get(it.day);
    if (list) list.push(it);
    else map.set(it.day, [it]);
  }
  for (const list of map.values()) list.sort(byTime);
  return map;
}

/** At most `max` items for a month cell, and how many are left for "+k more". */
export function capDay<T>(items: readonly T[], max = 3): { visible: T[]; more: number } {
  if (items.length <= max) return { visible: [...items], more: 0 };
  return { visible: items.slice(0, max), more: items.length - max };
}

export interface Placed<T> {
  item: T;
  lane: number;
  lanes: number;
  cluster?: number; // items that overlap (directly or through others) share one
  crowded?: boolean; // capLanes: a "+N" sits under it (one lane only), so it is drawn shorter
}

/**
 * Side-by-side lanes for a week column: items whose boxes (`span` minutes
 * tall) overlap share a cluster, and each takes the first free lane in it.
 * Input must be sorted by minutes.
 */
export function layoutDay<T extends { minutes: number }>(items: readonly T[], span = 45): Placed<T>[] {
  const out: Placed<T>[] = [];
  let cluster: Placed<T>[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -Infinity;
  let clusterNo = 0;
  const flush = () => {
    for (const p of cluster) p.lanes = laneEnds.length;
    if (cluster.length) clusterNo++;
    cluster = [];
    laneEnds = [];
  };
  for (const item of items) {
    if (item.minutes >= clusterEnd) flush();
    let lane = laneEnds.findIndex((end) => end <= item.minutes);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(0);
    }
    laneEnds[lane] = item.minutes + span;
    clusterEnd = Math.max(cluster.length ? clusterEnd : -Infinity, item.minutes + span);
    const placed = { item, lane, lanes: 1, cluster: clusterNo };
    cluster.push(placed);
    out.push(placed);
  }
  flush();
  return out;
}

/** "+N" in a week column: the posts of a crowded time that do not fit. */
export interface LaneOverflow<T> {
  items: T[];
  minutes: number; // the earliest of them
  lane: number;
  lanes: number;
}

/**
 * At most `max` lanes side by side (a lane narrower than that is unreadable):
 * in a cluster that needs more, the first max-1 lanes stay and the rest
 * become one "+N" in the last lane. With room for one lane only, the first
 * post keeps the whole width, drawn shorter, and the "+N" sits under it (lane -1).
 */
export function capLanes<T extends { minutes: number }>(placed: readonly Placed<T>[], max: number): { shown: Placed<T>[]; more: LaneOverflow<T>[] } {
  const keep = Math.max(1, max);
  const shown: Placed<T>[] = [];
  const more = new Map<number, LaneOverflow<T>>();
  for (const p of placed) {
    if (p.lanes <= keep) {
      shown.push(p);
      continue;
    }
    if (p.lane < Math.max(1, keep - 1)) {
      shown.push({ ...p, lanes: keep, crowded: keep === 1 });
      continue;
    }
    const key = p.cluster ?? -1;
    const m = more.get(key);
    if (m) {
      m.items.push(p.item);
      m.minutes = Math.min(m.minutes, p.item.minutes);
    } else more.set(key, { items: [p.item], minutes: p.item.minutes, lane: keep === 1 ? -1 : keep - 1, lanes: keep });
  }
  return { shown, more: [...more.values()] };
}
