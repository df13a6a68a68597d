// The calendar's one pending undo (a deleted post): shown as a toast with an
// Undo button for a few seconds; Ctrl/Cmd+Z triggers it while it shows.
export interface UndoEntry {
  id: number;
  text: string;
  run: () => Promise<void> | void;
}

export const undoState = $state<{ current: UndoEntry | null }>({ current: null });

let timer: ReturnType<typeof setTimeout> | undefined;
let seq = 0;

export const UNDO_MS = 8_000;

export function offerUndo(text: string, run: () => Promise<void> | void): void {
  clearTimeout(timer);
  const id = ++seq;
  undoState.current = { id, text, run };
  timer = setTimeout(() => {
    if (undoState.current?.id === id) undoState.current = null;
  }, UNDO_MS);
}

export function dismissUndo(): void {
  clearTimeout(timer);
  undoState.current = null;
}

/** Runs the pending undo (once). */
export async function runUndo(): Promise<void> {
  const entry = undoState.current;
  if (!entry) return;
  dismissUndo();
  await entry.run();
}
