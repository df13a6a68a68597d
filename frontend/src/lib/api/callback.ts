// Wails 2.16's runtime rejects a failed call with `new Error(message.error)`
// (runtime/desktop/calls.js), which turns the {code, key, field, params}
// object our Go ErrorFormatter returns into the text "[object Object]".
// Every platform delivers results through window.wails.Callback(json), so we
// wrap it once and serialise an object error into a JSON string: the Error's
// message then carries the whole object and toApiError reads it back.
//
// Only an answer whose error is an object is parsed here: the runtime parses
// every answer anyway, and a month of the calendar is ~350 KB of JSON. Go
// writes the message as {"result":…,"error":…,"callbackid":"…"} (Wails'
// CallbackMessage, fields in that order, no spaces), so the message's own
// error is the last "error": key (any other is inside the result, before it).

type CallbackFn = (incoming: string) => unknown;
const MARK = '__pautaKeepsErrors';

/** Wraps a Wails Callback so object errors survive as JSON text. */
export function keepErrorObjects(original: CallbackFn): CallbackFn {
  const wrapped: CallbackFn = (incoming) => {
    const at = typeof incoming === 'string' ? incoming.lastIndexOf('"error":') : -1;
    if (at < 0 || incoming.charAt(at + 8) !== '{') return original(incoming);
    let message: { error?: unknown } | null = null;
    try {
      message = JSON.parse(incoming);
    } catch {
      /* not ours to fix: the runtime reports bad JSON itself */
    }
    if (message && message.error !== null && typeof message.error === 'object') {
      message.error = JSON.stringify(message.error);
      return original(JSON.stringify(message));
    }
    return original(incoming);
  };
  (wrapped as unknown as Record<string, boolean>)[MARK] = true;
  return wrapped;
}

/** Installs the wrapper on window.wails once (no-op outside Wails). */
export function installErrorBridge(): void {
  if (typeof window === 'undefined') return;
  const w = (window as unknown as { wails?: { Callback?: CallbackFn } }).wails;
  if (!w || typeof w.Callback !== 'function') return;
  if ((w.Callback as unknown as Record<string, boolean>)[MARK]) return;
  w.Callback = keepErrorObjects(w.Callback);
}
