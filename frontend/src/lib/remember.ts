// On/off choices the UI remembers between runs (localStorage: per web
// view, not in the workspace), e.g. whether the ideas panel is open.

// The keys read so far: a kept first frame (lib/firstframe.ts) was drawn
// with their values, and is shown again only while they hold.
const read = new Set<string>();

/** A remembered on/off choice (localStorage); fallback when none is stored or storage is closed. */
export function readFlag(key: string, fallback: boolean): boolean {
  read.add(key);
  try {
    const v = localStorage.getItem(key);
    return v === null ? fallback : v === '1';
  } catch {
    return fallback;
  }
}

export function saveFlag(key: string, on: boolean) {
  try {
    localStorage.setItem(key, on ? '1' : '0');
  } catch {
    /* private mode: not remembered */
  }
}

/** The stored values of the choices read so far ("" when none is stored); null when storage is closed. */
export function flagsRead(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Record<string, string> | null {
  const out: Record<string, string> = {};
  try {
    if (!storage) return null;
    for (const k of read) out[k] = storage.getItem(k) ?? '';
  } catch {
    return null;
  }
  return out;
}
