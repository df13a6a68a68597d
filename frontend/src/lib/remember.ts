// On/off choices the UI remembers between runs (localStorage: per web
// view, not in the workspace), e.g. whether the ideas panel is open.

/** A remembered on/off choice (localStorage); fallback when none is stored or storage is closed. */
export function readFlag(key: string, fallback: boolean): boolean {
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
