// The first frame (#18, app/firstframe.go): the first screen as this page
// drew it, kept by Go and served inside <div id="app"> on a later start
// while the data, the build, the date and the remembered choices are
// exactly the same. The web view paints it before any script runs; the app
// mounts behind it (hidden by app.css) and takes its place once it has
// painted its own first frame, which is the same picture: their markup is
// compared then (attribute order aside: the page goes through Wails' HTML
// parser, which sorts some elements' attributes), and a frame the app did
// not draw the same is forgotten.
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
  /** SettingsService.FirstFrameDone: a closing window's page has kept its frame (or could not). */
  done(): Promise<unknown>;
}

/** Event App.svelte sends when it shows something other than the calendar first (an error). */
export const SHOWN_EVENT = 'pauta:shown';

/** How long a frame may stand in when the app never paints its calendar. */
const HOLD_MS = 4000;

/** Sets up the frame in target: shown and replaced, or drawn and kept. Call before the app mounts. */
export function firstFrame(doc: Document, target: HTMLElement, io: FrameIO): void {
  const meta = doc.querySelector<HTMLMetaElement>('meta[name="pauta-frame"]');
  const key = meta?.content ?? '';
  const day = meta?.dataset.day ?? '';
  const frame = target.querySelector<HTMLElement>(':scope > [data-frame]');
  const root = doc.documentElement;
  // The page of a closing window (app/firstframe_close.go), loaded again to
  // keep the frame for the data as it is now: kept as soon as the data is in
  // the DOM (a hidden window may draw no frames), then the window may close.
  const closing = meta?.hasAttribute('data-closing') ?? false;
  const finish = () => {
    if (closing) io.done().catch((err: unknown) => console.warn('closing:', err));
  };
  if (frame && closing) finish();
  if (frame) {
    root.dataset.frame = 'shown';
    let timer = 0;
    const drop = (e: Event | null) => {
      clearTimeout(timer);
      window.removeEventListener('calendar:painted', drop);
      window.removeEventListener(SHOWN_EVENT, drop);
      const kept = frame.innerHTML;
      frame.remove();
      frame.replaceChildren(); // freed now, not at the next collection
      // An error shown instead, or no paint in time, says nothing about the frame.
      if (e?.type !== 'calendar:painted') {
        root.dataset.frame = 'replaced';
        return;
      }
      // The app painted its calendar from the same data: the same markup, or
      // the frame is not shown again. Both are read now; they are compared
      // in a task of their own, once the app is on screen (this handler runs
      // in an animation frame, whose drawing comes before any timer).
      const live = target.innerHTML;
      setTimeout(() => {
        const diff = markupDifference(kept, live);
        root.dataset.frameMatch = diff === '' ? 'same' : 'differs';
        root.dataset.frame = 'replaced';
        if (diff === '') return;
        console.warn('first frame differs from the app:', diff);
        io.forget().catch((err: unknown) => console.warn('first frame not forgotten:', err));
      }, 0);
    };
    timer = window.setTimeout(() => drop(null), HOLD_MS);
    window.addEventListener('calendar:painted', drop, { once: true });
    window.addEventListener(SHOWN_EVENT, drop, { once: true });
    return;
  }
  if (!key) {
    finish();
    return;
  }
  const ready = closing ? 'calendar:drawn' : 'calendar:painted';
  const onReady = (e: Event) => {
    window.removeEventListener(ready, onReady);
    const notKept = (why: unknown) => {
      root.dataset.frame = 'not-kept';
      if (why) console.warn('first frame not kept:', why);
      finish();
    };
    const detail = (e as CustomEvent<Painted>).detail;
    const flags = io.flags();
    // Drawn from other data than served (a change already refetched), on
    // another day than Go's, or without storage: not kept.
    if (detail?.n !== 1 || io.today() !== day || !flags) return notKept('');
    const markup = target.innerHTML;
    // The served page is parsed again (by Wails, then by the web view): a
    // drawing the HTML parser would build otherwise (an element the parser
    // moves out of its parent) would not come back as drawn.
    if (!reparsesAsDrawn(markup)) return notKept('the parser builds it otherwise');
    io.save(key, markup, flags).then(() => {
      root.dataset.frame = 'kept';
      finish();
    }, notKept);
  };
  window.addEventListener(ready, onReady);
}

/** Whether markup, parsed as the content of a <div> (in a document that loads nothing), reads back the same. */
export function reparsesAsDrawn(markup: string): boolean {
  const div = document.implementation.createHTMLDocument('').createElement('div');
  div.innerHTML = markup;
  return markupDifference(markup, div.innerHTML) === '';
}

// A start tag with two or more attributes, as the browser writes markup
// (values always in double quotes, which never occur inside them).
const START_TAG = /<([a-zA-Z][^\s/>]*)((?:\s+[^\s"'>/=]+(?:="[^"]*")?){2,})(\s*\/?)>/g;
const ATTRIBUTE = /\s+[^\s"'>/=]+(?:="[^"]*")?/g;

/** Markup with each element's attributes in one order (Wails' parser sorts some elements' attributes). */
export function canonicalMarkup(html: string): string {
  return html.replace(START_TAG, (_, name: string, attrs: string, end: string) => `<${name}${attrs.match(ATTRIBUTE)!.map((a) => a.trim()).sort().map((a) => ' ' + a).join('')}${end}>`);
}

/** Where two drawings first differ, attribute order aside ("" when they do not), with some context for the log. */
export function markupDifference(a: string, b: string): string {
  if (a === b) return '';
  const x = canonicalMarkup(a);
  const y = canonicalMarkup(b);
  if (x === y) return '';
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const from = Math.max(0, i - 60);
  return `at ${i}: frame …${x.slice(from, i + 60)}… app …${y.slice(from, i + 60)}…`;
}
