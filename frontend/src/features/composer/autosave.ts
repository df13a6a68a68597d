// Autosave, the pure parts: when a composer may save on its own and with
// which status, and a debouncer that runs one save at a time.

export type AutosaveStatus = 'idea' | 'draft' | 'scheduled';

export interface AutosaveInput {
  /** The post's status as saved ("" for a post not saved yet). */
  status: string;
  clientId: number;
  /** Base text or first comment typed (a new post waits for some content). */
  hasContent: boolean;
  /** A date and time are filled in. */
  hasDate: boolean;
  /** Some selected account's text is over its network's limit. */
  overLimit: boolean;
  /** Over Go's 100,000-byte cap for any text. */
  tooLong: boolean;
}

export type AutosavePlan =
  | { save: true; status: AutosaveStatus; keepSchedule: boolean }
  | { save: false; reason: 'noClient' | 'empty' | 'locked' | 'overLimitScheduled' | 'tooLong' };

/**
 * What an autosave does. It never changes a post's status and never moves a
 * scheduled post: a scheduled post is saved with its saved date and time
 * (keepSchedule), and when its text goes over a limit the edit stays in the
 * composer, unsaved, until the user fixes it or saves it as a draft. Published
 * posts and posts waiting for review are history: no autosave.
 */
export function planAutosave(i: AutosaveInput): AutosavePlan {
  if (!i.clientId) return { save: false, reason: 'noClient' };
  if (i.tooLong) return { save: false, reason: 'tooLong' };
  switch (i.status) {
    case '':
      if (!i.hasContent) return { save: false, reason: 'empty' };
      return { save: true, status: i.hasDate ? 'draft' : 'idea', keepSchedule: false };
    case 'idea':
      return { save: true, status: 'idea', keepSchedule: false };
    case 'draft':
      // A draft whose date was cleared becomes an idea rather than failing.
      return { save: true, status: i.hasDate ? 'draft' : 'idea', keepSchedule: false };
    case 'scheduled':
      if (i.overLimit) return { save: false, reason: 'overLimitScheduled' };
      return { save: true, status: 'scheduled', keepSchedule: true };
  }
  return { save: false, reason: 'locked' };
}

export interface Timers {
  set: (fn: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Runs `run` `delay` ms after the last poke(). Saves never overlap: a poke or
 * flush during a save runs once more after it (so a new post is created
 * once, then updated). flush() runs a pending save now and resolves when
 * everything asked for so far is saved.
 */
export class Debouncer {
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private run: () => Promise<void>,
    private delay = 700,
    private timers: Timers = realTimers,
  ) {}

  /** Something changed: save after a pause. */
  poke(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.start();
    }, this.delay);
  }

  get pending(): boolean {
    return this.timer !== null || this.running !== null;
  }

  /** Save now if anything is waiting; resolves when no save is left. */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      this.timers.clear(this.timer);
      this.timer = null;
      await this.start();
    }
    while (this.running) await this.running;
  }

  /** Forget a waiting save (the post was saved explicitly or deleted). */
  cancel(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    this.again = false;
  }

  /** Waits for a save in flight, without starting one. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private start(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.run().catch(() => {}); // run reports its own errors
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
