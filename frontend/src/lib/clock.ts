// The app's clock. It is the laptop's, unless the served page says the app
// runs at another time (<meta name="pauta-clock" content="ms">,
// app/firstscreen.go): the page a closing window loads to draw the next
// day's first frame runs a day ahead, and PAUTA_CLOCK_SHIFT moves the whole
// app. Every read of the current time goes through here, so that such a page
// draws exactly what the app will draw at that time (clock.test.ts checks
// that no other module reads the time itself).

let shift = 0;

/** Milliseconds since the epoch, as Date.now() on the app's clock. */
export function now(): number {
  return Date.now() + shift;
}

/** The current time on the app's clock. */
export function nowDate(): Date {
  return new Date(now());
}

/** Takes the page's clock (0 without one). Call before the app mounts. */
export function clockFromPage(doc: Pick<Document, 'querySelector'>): void {
  const v = Number(doc.querySelector<HTMLMetaElement>('meta[name="pauta-clock"]')?.content ?? '');
  shift = Number.isFinite(v) ? v : 0;
}
