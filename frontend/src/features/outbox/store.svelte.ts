// The outbox as the UI sees it: rows needing attention or waiting, the
// recently published ones, the online indicator and the "Due now" panel's
// state. Refetched on the backend's small invalidation events (debounced).
import { SvelteSet } from 'svelte/reactivity';
import { onDueManual, onOnlineChanged, onOutboxChanged, outboxApi, type OnlineStatus, type OutboxItem } from '../../lib/api';
import { attentionCount, debounce, handPosts, waitingPosts } from './logic';
import { now as clockNow } from '../../lib/clock';

class OutboxStore {
  items = $state.raw<OutboxItem[]>([]); // attention + waiting (pending, sending, failed, needs_review, missed, due_manual)
  recent = $state.raw<OutboxItem[]>([]); // published in the last 24 h
  online = $state.raw<OnlineStatus | null>(null);
  loaded = $state(false);
  error = $state<unknown>(null);
  /** Due-now rows the user hid; a new outbox:due_manual shows its ids again. */
  dismissed = new SvelteSet<number>();
  dueOpen = $state(true);
  /** The grace period saved in this session (0: as read at start-up). */
  graceMinutes = $state(0);

  attention = $derived(attentionCount(this.items));
  due = $derived(this.items.filter((i) => i.state === 'due_manual'));
  dueVisible = $derived(this.due.filter((i) => !this.dismissed.has(i.variantId)));
  waiting = $derived(waitingPosts(this.items));
  /** Ticks every 30 s, so a due post turns overdue without a refetch. */
  now = $state(clockNow());
  /** Posts to publish by hand: 'due' or 'overdue' (calendar chips and list). */
  hand = $derived(handPosts(this.items, this.now, this.graceMinutes || 15));

  private seq = 0;
  private started = 0;

  async refresh(): Promise<void> {
    const n = ++this.seq;
    try {
      const [items, recent, online] = await Promise.all([outboxApi.items(), outboxApi.items(['published'], 0, 24), outboxApi.online()]);
      if (n !== this.seq) return; // a newer refresh is on its way
      this.items = items;
      this.recent = recent;
      this.online = online;
      this.error = null;
    } catch (e) {
      if (n === this.seq) this.error = e;
    } finally {
      if (n === this.seq) this.loaded = true;
    }
  }

  async refreshOnline(): Promise<void> {
    try {
      this.online = await outboxApi.online();
    } catch {
      /* keep the last known */
    }
  }

  /** Subscribes to the outbox events and loads; returns the unsubscribe. */
  start(): () => void {
    this.started++;
    const later = debounce(() => void this.refresh(), 250);
    const offs = [
      onOutboxChanged(later),
      onOnlineChanged(() => {
        void this.refreshOnline();
        later();
      }),
      onDueManual((ids) => {
        for (const id of ids) this.dismissed.delete(id);
        this.dueOpen = true;
        later();
      }),
    ];
    void this.refresh();
    // The indicator's "last check" and backoff times age: refresh now and then.
    const tick = setInterval(() => {
      this.now = clockNow();
      void this.refreshOnline();
    }, 30_000);
    return () => {
      this.started--;
      later.cancel();
      clearInterval(tick);
      for (const off of offs) off();
    };
  }

  /** Replaces one row after an action (the event refetch follows). */
  patch(variantId: number, state: string): void {
    this.items = this.items.map((i) => (i.variantId === variantId ? { ...i, state } : i));
  }
}

export const outbox = new OutboxStore();
