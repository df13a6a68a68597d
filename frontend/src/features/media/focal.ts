// Focal point math for the media library: pure functions, unit tested.
// A focal point is {x, y} in fractions of the upright image (0,0 top left).

export interface Focal {
  x: number;
  y: number;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Clamps into [0,1] and rounds to 0.001, the precision Go keys its cache by. */
export function normalize(f: Focal): Focal {
  const n = (v: number) => (Number.isFinite(v) ? Math.round(Math.min(Math.max(v, 0), 1) * 1000) / 1000 : 0.5);
  return { x: n(f.x), y: n(f.y) };
}

/**
 * Where an image of natural size w×h is drawn inside a box with
 * `object-fit: contain` (centred, letterboxed).
 */
export function containedBox(box: Box, w: number, h: number): Box {
  if (w <= 0 || h <= 0 || box.width <= 0 || box.height <= 0) return { ...box };
  const s = Math.min(box.width / w, box.height / h);
  const dw = w * s;
  const dh = h * s;
  return { left: box.left + (box.width - dw) / 2, top: box.top + (box.height - dh) / 2, width: dw, height: dh };
}

/** The focal point for a click at (clientX, clientY) on the drawn image box. */
export function focalFromPoint(clientX: number, clientY: number, drawn: Box): Focal {
  if (drawn.width <= 0 || drawn.height <= 0) return { x: 0.5, y: 0.5 };
  return normalize({ x: (clientX - drawn.left) / drawn.width, y: (clientY - drawn.top) / drawn.height });
}

/** Arrow keys move the point by 1 % (10 % with Shift); Home centres it. */
export function nudge(f: Focal, key: string, big = false): Focal | null {
  const step = big ? 0.1 : 0.01;
  switch (key) {
    case 'ArrowLeft':
      return normalize({ x: f.x - step, y: f.y });
    case 'ArrowRight':
      return normalize({ x: f.x + step, y: f.y });
    case 'ArrowUp':
      return normalize({ x: f.x, y: f.y - step });
    case 'ArrowDown':
      return normalize({ x: f.x, y: f.y + step });
    case 'Home':
      return { x: 0.5, y: 0.5 };
  }
  return null;
}

/** The largest rw:rh window inside w×h (Go: media.cropSize). */
function cropSize(w: number, h: number, rw: number, rh: number): [number, number] {
  let cw: number;
  let ch: number;
  if (w * rh >= h * rw) {
    ch = h;
    cw = Math.round((h * rw) / rh);
  } else {
    cw = w;
    ch = Math.round((w * rh) / rw);
  }
  return [Math.min(Math.max(cw, 1), w), Math.min(Math.max(ch, 1), h)];
}

function place(size: number, n: number, f: number): number {
  const p = Math.min(Math.floor(f * size), size - 1);
  return Math.min(Math.max(p - Math.floor(n / 2), 0), size - n);
}

/**
 * The part of a w×h image a rw:rh preset shows around focal point f: the
 * same rectangle Go's media.CropRect returns, so the preview can follow the
 * point at once, before the rendered image arrives.
 */
export function cropRect(w: number, h: number, rw: number, rh: number, f: Focal): Rect {
  if (w <= 0 || h <= 0 || rw <= 0 || rh <= 0) return { x: 0, y: 0, width: Math.max(w, 0), height: Math.max(h, 0) };
  const n = normalize(f);
  const [cw, ch] = cropSize(w, h, rw, rh);
  return { x: place(w, cw, n.x), y: place(h, ch, n.y), width: cw, height: ch };
}

/**
 * CSS background-size and background-position that show `crop` of a w×h
 * image filling its tile (the tile has the crop's ratio).
 */
export function cropBackground(w: number, h: number, crop: Rect): { size: string; position: string } {
  const pct = (v: number) => `${Math.round(v * 10000) / 100}%`;
  const sx = crop.width > 0 ? w / crop.width : 1;
  const sy = crop.height > 0 ? h / crop.height : 1;
  const px = w - crop.width > 0 ? crop.x / (w - crop.width) : 0;
  const py = h - crop.height > 0 ? crop.y / (h - crop.height) : 0;
  return { size: `${pct(sx)} ${pct(sy)}`, position: `${pct(px)} ${pct(py)}` };
}

/** Whether the focal pixel lies inside the crop (for tests and warnings). */
export function focalInside(w: number, h: number, crop: Rect, f: Focal): boolean {
  const px = Math.min(Math.floor(f.x * w), w - 1);
  const py = Math.min(Math.floor(f.y * h), h - 1);
  return px >= crop.x && px < crop.x + crop.width && py >= crop.y && py < crop.y + crop.height;
}

/** "1.2 MB", "830 KB" with the UI locale's digits (decimal units, like the presets). */
export function formatBytes(n: number, locale: string): string {
  const f = (v: number, d: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: d }).format(v);
  if (n >= 1_000_000) return `${f(n / 1_000_000, 1)} MB`;
  if (n >= 1000) return `${f(n / 1000, 0)} KB`;
  return `${f(n, 0)} B`;
}
