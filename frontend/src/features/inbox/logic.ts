// Pure helpers of the inbox view (tested in logic.test.ts): filters to a
// query, the list order, keyboard moves, plural choice, times in the
// client's zone, and the reply box's start text.
import type { InboxItem, InboxQuery, InboxSummary } from '../../lib/api';

export const KINDS = ['mention', 'reply', 'quote', 'direct', 'boost', 'like', 'follow', 'listening'] as const;
export type Kind = (typeof KINDS)[number];
export const SUMMARISED: readonly string[] = ['boost', 'like', 'follow'];

export interface Filters {
  clientId: number; // 0 = all
  network: string; // '' = all
  kind: string; // '' = all
  state: 'open' | 'new' | 'done' | 'snoozed' | 'all';
}

export const PAGE = 100;

/** The backend query for the filters ("open" = new and snoozed items). */
export function toQuery(f: Filters, limit = PAGE): InboxQuery {
  const states = f.state === 'open' ? ['new'] : f.state === 'all' ? [] : [f.state];
  return { clientId: f.clientId, network: f.network, kinds: f.kind ? [f.kind] : [], states, tag: '', pinned: false, offset: 0, limit };
}

/** A row of the list: one item, or a summary of boosts, likes or follows. */
export type Row = { type: 'item'; key: string; at: number; alert: boolean; item: InboxItem } | { type: 'summary'; key: string; at: number; alert: false; summary: InboxSummary };

const time = (s: string | undefined) => {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? 0 : t;
};

/** Items and summaries merged: alerts first, then newest first. */
export function rows(items: InboxItem[], summaries: InboxSummary[]): Row[] {
  const out: Row[] = [
    ...items.map((item): Row => ({ type: 'item', key: `i${item.id}`, at: time(item.notification.createdAt), alert: (item.alert?.length ?? 0) > 0, item })),
    ...summaries.map((summary): Row => ({
      type: 'summary',
      key: `s${summary.accountId}-${summary.kind}-${summary.aboutId}-${summary.day}`,
      at: time(summary.newest),
      alert: false,
      summary,
    })),
  ];
  return out.sort((a, b) => Number(b.alert) - Number(a.alert) || b.at - a.at || a.key.localeCompare(b.key));
}

/** The index J (+1) or K (-1) moves to, staying inside the list. */
export function move(index: number, delta: number, length: number): number {
  if (length === 0) return -1;
  if (index < 0) return delta > 0 ? 0 : length - 1;
  return Math.max(0, Math.min(length - 1, index + delta));
}

/** "One" or "Other" for a count in a UI locale. */
export function plural(count: number, locale: string): 'One' | 'Other' {
  return new Intl.PluralRules(locale).select(count) === 'one' ? 'One' : 'Other';
}

/** A moment shown in the client's zone (falls back to the system zone). */
// One formatter per locale and zone: building an Intl.DateTimeFormat costs
// far more than formatting with it, and the list formats 200 times a paint.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(locale: string, zone: string | undefined): Intl.DateTimeFormat {
  const key = `${locale}|${zone ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: zone || undefined });
    } catch {
      f = new Intl.DateTimeFormat(locale, opts);
    }
    formatters.set(key, f);
  }
  return f;
}

export function inZone(iso: string | undefined, zone: string | undefined, locale: string): string {
  const t = time(iso);
  if (!t) return '';
  return formatterFor(locale, zone).format(new Date(t));
}

/** The reply box's start: the mention the network expects, unless the text already has it. */
export function startText(mention: string, current = ''): string {
  if (!mention || current.trim().toLowerCase().startsWith(mention.trim().toLowerCase())) return current;
  return mention + current;
}

/** A saved reply put into the reply box after the mention (its text already filled by Go). */
export function withSaved(mention: string, saved: string): string {
  return startText(mention, saved.trim());
}

/** Comma-separated words to a clean list (trimmed, no empties, no repeats ignoring case). */
export function words(s: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of s.split(',')) {
    const v = w.trim();
    if (v && !seen.has(v.toLowerCase())) {
      seen.add(v.toLowerCase());
      out.push(v);
    }
  }
  return out;
}

/** The local datetime-input value one day ahead of now, as a default snooze. */
export function defaultSnooze(now: Date): string {
  const d = new Date(now.getTime() + 24 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T09:00`;
}

/** Total items to answer (the sidebar badge). */
export function unreadTotal(unread: Record<number, number> | undefined, clientId = 0): number {
  if (!unread) return 0;
  if (clientId) return unread[clientId] ?? 0;
  return Object.values(unread).reduce((a, b) => a + b, 0);
}
