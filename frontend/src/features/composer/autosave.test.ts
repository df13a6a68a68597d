import { describe, expect, it } from 'vitest';
import { Debouncer, planAutosave, type AutosaveInput, type Timers } from './autosave';

const base: AutosaveInput = { status: '', clientId: 1, hasContent: true, hasDate: true, overLimit: false, tooLong: false };

describe('planAutosave', () => {
  it('waits for a client and some content before creating a post', () => {
    expect(planAutosave({ ...base, clientId: 0 })).toEqual({ save: false, reason: 'noClient' });
    expect(planAutosave({ ...base, hasContent: false })).toEqual({ save: false, reason: 'empty' });
    expect(planAutosave(base)).toEqual({ save: true, status: 'draft', keepSchedule: false });
    expect(planAutosave({ ...base, hasDate: false })).toEqual({ save: true, status: 'idea', keepSchedule: false });
  });
  it('keeps the status: drafts stay drafts, ideas stay ideas, even over a limit', () => {
    expect(planAutosave({ ...base, status: 'draft', overLimit: true })).toEqual({ save: true, status: 'draft', keepSchedule: false });
    expect(planAutosave({ ...base, status: 'idea', hasDate: true })).toEqual({ save: true, status: 'idea', keepSchedule: false });
  });
  it('never reschedules, and keeps an over-limit scheduled edit local', () => {
    expect(planAutosave({ ...base, status: 'scheduled' })).toEqual({ save: true, status: 'scheduled', keepSchedule: true });
    expect(planAutosave({ ...base, status: 'scheduled', overLimit: true })).toEqual({ save: false, reason: 'overLimitScheduled' });
  });
  it('leaves published posts alone and refuses texts Go would refuse', () => {
    expect(planAutosave({ ...base, status: 'published' })).toEqual({ save: false, reason: 'locked' });
    expect(planAutosave({ ...base, status: 'needs_review' })).toEqual({ save: false, reason: 'locked' });
    expect(planAutosave({ ...base, status: 'draft', tooLong: true })).toEqual({ save: false, reason: 'tooLong' });
  });
});

/** Fake timers: advance(ms) fires what is due. */
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    set: (fn, ms) => {
      due.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clear: (h) => void due.delete(h as number),
  };
  return {
    timers,
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...due]) {
        if (t.at <= now) {
          due.delete(id);
          t.fn();
        }
      }
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Debouncer', () => {
  it('saves once, 700 ms after the last keystroke', async () => {
    const ft = fakeTimers();
    let saves = 0;
    const d = new Debouncer(async () => void saves++, 700, ft.timers);
    d.poke();
    ft.advance(500);
    d.poke();
    ft.advance(500);
    expect(saves).toBe(0);
    ft.advance(200);
    await tick();
    expect(saves).toBe(1);
    expect(d.pending).toBe(false);
  });

  it('flush saves at once and resolves after the save', async () => {
    const ft = fakeTimers();
    let saves = 0;
    const d = new Debouncer(async () => void saves++, 700, ft.timers);
    d.poke();
    await d.flush();
    expect(saves).toBe(1);
    ft.advance(1000);
    await tick();
    expect(saves).toBe(1); // the timer was consumed
    await d.flush(); // nothing pending: no save
    expect(saves).toBe(1);
  });

  it('never overlaps saves: a change during a save runs once more afterwards', async () => {
    const ft = fakeTimers();
    let active = 0;
    let maxActive = 0;
    let saves = 0;
    let release: () => void = () => {};
    const d = new Debouncer(
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((r) => (release = r));
        saves++;
        active--;
      },
      700,
      ft.timers,
    );
    d.poke();
    ft.advance(700); // first save starts and hangs
    d.poke();
    ft.advance(700); // a second one is asked for meanwhile
    const flushed = d.flush();
    release();
    await tick();
    release();
    await flushed;
    expect(saves).toBe(2);
    expect(maxActive).toBe(1);
  });

  it('cancel drops a waiting save', async () => {
    const ft = fakeTimers();
    let saves = 0;
    const d = new Debouncer(async () => void saves++, 700, ft.timers);
    d.poke();
    d.cancel();
    ft.advance(1000);
    await d.flush();
    expect(saves).toBe(0);
  });

  it('keeps going after a failed save', async () => {
    const ft = fakeTimers();
    let calls = 0;
    const d = new Debouncer(
      async () => {
        calls++;
        if (calls === 1) throw new Error('disk full');
      },
      700,
      ft.timers,
    );
    d.poke();
    await d.flush();
    d.poke();
    await d.flush();
    expect(calls).toBe(2);
  });
});
