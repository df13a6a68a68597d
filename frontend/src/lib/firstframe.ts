// The first frame (#18, app/firstframe.go): the first screen as this page
// drew it, kept by Go and served inside <div id="app"> on a later start
// while the data, the build, the date and the remembered choices are
// exactly the same. The web view paints it before any script runs; the app
// mounts behind it (hidden by app.css) and takes its place once it has
// painted its own first frame, which is the same picture: their trees are
// compared then, and a frame the app did not draw the same is forgotten.
// (Trees, not markup: the page goes through Wails' HTML parser, which
// writes some elements' attributes in another order.)
//
// On a start without a frame, the first screen the app paints from the
// page's data is sent back to be kept, with the key Go served it under.

/** The painted signal's detail (features/calendar/painted.ts), as far as read here. */
interface Painted {
  n: number;
}

export interface FrameIO {
  /** SettingsService.SaveFirstFrame. */
  save(key: string, markup: string, flags: Record<string, string>): Promise<unknown>;
  /** Today in the laptop's zone, "2006-01-02" (the frame's today mark). */
  today(): string;
  /** The remembered choices read by the first screen (lib/remember.ts); null: storage closed. */
  flags(): Record<string, string> | null;
  /** SettingsService.ForgetFirstFrame: the app drew the same data otherwise. */
  forget(): Promise<unknown>;
}

/** Event App.svelte sends when it shows something other than the calendar first (an error). */
export const SHOWN_EVENT = 'pauta:shown';

/** How long a frame may stand in when the app never paints its calendar. */
const HOLD_MS = 4000;

/** Sets up the frame in target: shown ("shown"), to be kept ("capture") or none. Call before the app mounts. */
export function firstFrame(doc: Document, target: HTMLElement, io: FrameIO): 'shown' | 'capture' | 'none' {
  const meta = doc.querySelector<HTMLMetaElement>('meta[name="pauta-frame"]');
  const key = meta?.content ?? '';
  const day = meta?.dataset.day ?? '';
  const frame = target.querySelector<HTMLElement>(':scope > [data-frame]');
  const root = doc.documentElement;
  if (frame) {
    root.dataset.frame = 'shown';
    let timer = 0;
    const drop = (e: Event | null) => {
      clearTimeout(timer);
      window.removeEventListener('calendar:painted', drop);
      window.removeEventListener(SHOWN_EVENT, drop);
      frame.remove();
      root.dataset.frame = 'replaced';
      // The app painted its calendar from the same data: the same tree, or
      // the frame is not shown again. (An error shown instead, or no paint
      // in time, says nothing about the frame.)
      if (e?.type !== 'calendar:painted') return;
      const diff = treeDifference(Array.from(frame.childNodes), Array.from(target.childNodes));
      root.dataset.frameMatch = diff === '' ? 'same' : 'differs';
      if (diff === '') return;
      console.warn('first frame differs from the app:', diff);
      io.forget().catch((err: unknown) => console.warn('first frame not forgotten:', err));
    };
    timer = window.setTimeout(() => drop(null), HOLD_MS);
    window.addEventListener('calendar:painted', drop, { once: true });
    window.addEventListener(SHOWN_EVENT, drop, { once: true });
    return 'shown';
  }
  if (!key) return 'none';
  const onPainted = (e: Event) => {
    window.removeEventListener('calendar:painted', onPainted);
    const detail = (e as CustomEvent<Painted>).detail;
    const flags = io.flags();
    // Drawn from other data than served (a change already refetched), on
    // another day than Go's, or without storage: not kept.
    if (detail?.n !== 1 || io.today() !== day || !flags) {
      root.dataset.frame = 'not-kept';
      return;
    }
    io.save(key, target.innerHTML, flags).then(
      () => (root.dataset.frame = 'kept'),
      (err: unknown) => {
        root.dataset.frame = 'not-kept';
        console.warn('first frame not kept:', err);
      },
    );
  };
  window.addEventListener('calendar:painted', onPainted);
  return 'capture';
}

/** Where two lists of nodes first differ ("" when they are the same tree): elements by name and attributes (in any order), text by its joined runs, comments by data. */
export function treeDifference(a: Node[], b: Node[]): string {
  const xs = runs(a);
  const ys = runs(b);
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const x = xs[i];
    const y = ys[i];
    if (x === undefined || y === undefined) return `${describe(x)} / ${describe(y)}: ${xs.length} nodes / ${ys.length}`;
    if (typeof x === 'string' || typeof y === 'string') {
      if (x !== y) return `${describe(x)} / ${describe(y)}`;
      continue;
    }
    if (x.nodeType !== y.nodeType) return `${describe(x)} / ${describe(y)}`;
    if (x.nodeType !== Node.ELEMENT_NODE) {
      if (x.nodeValue !== y.nodeValue) return `${describe(x)} / ${describe(y)}`;
      continue;
    }
    const ex = x as Element;
    const ey = y as Element;
    if (ex.tagName !== ey.tagName || ex.attributes.length !== ey.attributes.length) return `${describe(x)} / ${describe(y)}`;
    for (const at of Array.from(ex.attributes)) {
      if (ey.getAttribute(at.name) !== at.value) return `${describe(x)} [${at.name}] / ${describe(y)}`;
    }
    const inner = treeDifference(Array.from(ex.childNodes), Array.from(ey.childNodes));
    if (inner) return `${ex.tagName.toLowerCase()} > ${inner}`;
  }
  return '';
}

/** Nodes with adjacent text joined into one string and empty text left out (as markup reads back). */
function runs(nodes: Node[]): (Node | string)[] {
  const out: (Node | string)[] = [];
  for (const n of nodes) {
    if (n.nodeType === Node.TEXT_NODE) {
      const text = n.nodeValue ?? '';
      if (!text) continue;
      const last = out.length - 1;
      if (typeof out[last] === 'string') out[last] += text;
      else out.push(text);
    } else out.push(n);
  }
  return out;
}

function describe(n: Node | string | undefined): string {
  if (n === undefined) return '(none)';
  if (typeof n === 'string') return JSON.stringify(n.slice(0, 60));
  if (n.nodeType === Node.ELEMENT_NODE) return (n as Element).outerHTML.slice(0, 120);
  return `${n.nodeName} ${JSON.stringify((n.nodeValue ?? '').slice(0, 60))}`;
}
