// The inbox as the UI sees it: the unread counts for the sidebar (kept
// live from the backend's inbox events), and a manager per open inbox view
// holding its filters, rows, selection and the open item's detail.
import { inboxApi, onInbox, onOutboxChanged, type InboxDetail, type InboxPage, type InboxSync, type RemoteAuthor } from '../../lib/api';
import { Growing } from '../../lib/ui/growing.svelte';
import { debounce } from '../outbox/logic';
import { move, rows, toQuery, unreadTotal, type Filters, type Row } from './logic';

class InboxCounts {
  unread = $state.raw<Record<number, number>>({});
  /** Bumped on every inbox event: open views refetch. */
  version = $state(0);
  total = $derived(unreadTotal(this.unread));

  async refresh(): Promise<void> {
    try {
      this.unread = await inboxApi.unread();
    } catch {
      /* keep the last known */
    }
  }

  start(): () => void {
    const later = debounce(() => {
      this.version++;
      void this.refresh();
    }, 250);
    // A reply leaving the outbox changes its item (sent, first reply time).
    const offs = [onInbox(later), onOutboxChanged(later)];
    void this.refresh();
    return () => {
      later.cancel();
      for (const off of offs) off();
    };
  }
}

export const inboxCounts = new InboxCounts();

const SUMMARY_AUTHORS = 50;

export class InboxManager {
  filters = $state<Filters>({ clientId: 0, network: '', kind: '', state: 'open' });
  page = $state.raw<InboxPage | null>(null);
  loading = $state(false);
  error = $state<unknown>(null);
  limit = $state(100);
  index = $state(-1);
  detail = $state.raw<InboxDetail | null>(null);
  /** The open summary row's authors, newest first (read when it is opened). */
  authors = $state.raw<RemoteAuthor[]>([]);
  /**
   * How many rows the list draws: a new list its first 30 (more than a tall
   * screen shows), then more as the user scrolls or moves (J/K) towards
   * their end (the page holds up to 200 rows).
   */
  drawn = new Growing(30, 50);
  private freshList = false;

  list: Row[] = $derived(this.page ? rows(this.page.items ?? [], this.page.summaries ?? []) : []);
  current: Row | undefined = $derived(this.index >= 0 ? this.list[this.index] : undefined);
  syncErrors: InboxSync[] = $derived((this.page?.syncs ?? []).filter((s) => s.errorKey));
  olderAccounts: InboxSync[] = $derived((this.page?.syncs ?? []).filter((s) => s.older));

  private seq = 0;

  constructor(clientId = 0) {
    this.filters.clientId = clientId;
  }

  /**
   * The manager of a view being opened, its first page already asked for:
   * the one prepareInbox started when the inbox was opened, or a new one.
   */
  static opened(clientId: number): InboxManager {
    const m = prepared?.filters.clientId === clientId ? prepared : InboxManager.start(clientId);
    prepared = null;
    return m;
  }

  static start(clientId: number): InboxManager {
    const m = new InboxManager(clientId);
    m.freshList = true;
    void m.load();
    return m;
  }

  async load(): Promise<void> {
    const n = ++this.seq;
    this.loading = true;
    try {
      const page = await inboxApi.list(toQuery(this.filters, this.limit));
      if (n !== this.seq) return;
      if (this.freshList) {
        this.freshList = false;
        this.drawn.reset();
      }
      const keep = this.current?.key;
      this.page = page;
      this.error = null;
      const i = keep ? this.list.findIndex((r) => r.key === keep) : -1;
      this.index = i >= 0 ? i : Math.min(this.index, this.list.length - 1);
      if (this.current) void this.openRow(this.current);
    } catch (e) {
      if (n === this.seq) this.error = e;
    } finally {
      if (n === this.seq) this.loading = false;
    }
  }

  setFilter<K extends keyof Filters>(k: K, v: Filters[K]): void {
    this.filters[k] = v;
    this.freshList = true;
    this.index = -1;
    this.detail = null;
    void this.load();
  }

  async select(i: number): Promise<void> {
    if (i >= this.drawn.shown - 5) this.drawn.more(i);
    this.index = i;
    const row = this.list[i];
    this.detail = null;
    this.authors = [];
    if (row) await this.openRow(row);
  }

  private openRow(row: Row): Promise<void> {
    return row.type === 'item' ? this.open(row.item.id) : this.openSummary(row.key, row.summary.ids ?? []);
  }

  private async openSummary(key: string, ids: number[]): Promise<void> {
    try {
      const authors = await inboxApi.authors([...ids].reverse().slice(0, SUMMARY_AUTHORS));
      if (this.current?.key === key) this.authors = authors;
    } catch (e) {
      this.error = e;
    }
  }

  step(delta: number): Promise<void> {
    return this.select(move(this.index, delta, this.list.length));
  }

  async open(id: number): Promise<void> {
    try {
      const d = await inboxApi.detail(id);
      if (this.current?.type === 'item' && this.current.item.id === id) this.detail = d;
    } catch (e) {
      this.error = e;
    }
  }

  /** The ids of the current row (an item, or every item of a summary). */
  currentIds(): number[] {
    const r = this.current;
    if (!r) return [];
    return r.type === 'item' ? [r.item.id] : (r.summary.ids ?? []);
  }
}

let prepared: InboxManager | null = null;

/**
 * Asks for the inbox's first page as it is being opened, before its chunk
 * is loaded and its view built (InboxManager.opened takes it).
 */
export function prepareInbox(clientId: number): void {
  prepared = InboxManager.start(clientId);
}
