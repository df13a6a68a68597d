// Pure helpers of the image editor: the edit history, crops for a ratio
// around the focal point, and moving overlays. The pixels are Go's job.
import type { Recipe, TextLayer, TextStyle } from '../../lib/api';

export const EMPTY: Recipe = { v: 1 };

/** Undo/redo over recipes; a burst of slider moves can be merged into one step. */
export class History {
  private past: Recipe[] = [];
  private future: Recipe[] = [];
  constructor(public current: Recipe) {}

  /** Records next; with merge (same control still moving) the previous step is replaced. */
  push(next: Recipe, merge = false): Recipe {
    if (!merge || this.past.length === 0) this.past.push(this.current);
    this.future = [];
    this.current = next;
    return next;
  }
  undo(): Recipe {
    const prev = this.past.pop();
    if (prev) {
      this.future.push(this.current);
      this.current = prev;
    }
    return this.current;
  }
  redo(): Recipe {
    const next = this.future.pop();
    if (next) {
      this.past.push(this.current);
      this.current = next;
    }
    return this.current;
  }
  get canUndo() {
    return this.past.length > 0;
  }
  get canRedo() {
    return this.future.length > 0;
  }
}

/** Ratios the crop offers (width / height); 0 = no crop. */
export const CROP_RATIOS: { id: string; ratio: number }[] = [
  { id: 'none', ratio: 0 },
  { id: 'square', ratio: 1 },
  { id: 'portrait', ratio: 4 / 5 },
  { id: 'landscape', ratio: 1.91 },
  { id: 'wide', ratio: 16 / 9 },
  { id: 'story', ratio: 9 / 16 },
  { id: 'free', ratio: -1 },
];

/** The image's size after the recipe's quarter turns (straightening keeps proportions). */
export function turnedSize(width: number, height: number, r: Recipe): { w: number; h: number } {
  return r.rotate === 90 || r.rotate === 270 ? { w: height, h: width } : { w: width, h: height };
}

/** Where the upright focal point lands after the recipe's turns and flips. */
export function turnedFocal(fx: number, fy: number, r: Recipe): { x: number; y: number } {
  let x = fx;
  let y = fy;
  switch (r.rotate) {
    case 90:
      [x, y] = [1 - y, x];
      break;
    case 180:
      [x, y] = [1 - x, 1 - y];
      break;
    case 270:
      [x, y] = [y, 1 - x];
      break;
  }
  if (r.flipH) x = 1 - x;
  if (r.flipV) y = 1 - y;
  return { x, y };
}

/** The largest crop of ratio (w/h) of a w×h image, centred on the focal point and kept inside. */
export function cropFor(ratio: number, w: number, h: number, focal: { x: number; y: number }): Recipe['crop'] {
  if (!ratio || w <= 0 || h <= 0) return undefined;
  let cw = 1;
  let ch = 1;
  if (w / h > ratio) cw = (h * ratio) / w;
  else ch = w / ratio / h;
  const x = Math.min(Math.max(focal.x - cw / 2, 0), 1 - cw);
  const y = Math.min(Math.max(focal.y - ch / 2, 0), 1 - ch);
  const round = (v: number) => Math.round(v * 10000) / 10000;
  return { x: round(x), y: round(y), w: round(cw), h: round(ch) };
}

/** The ratio id a crop matches (for the select), or 'none'. */
export function cropRatioId(r: Recipe, w: number, h: number): string {
  if (!r.crop) return 'none';
  const { w: tw, h: th } = turnedSize(w, h, r);
  const ratio = (r.crop.w * tw) / (r.crop.h * th);
  let best = 'none';
  let diff = Infinity;
  for (const c of CROP_RATIOS) {
    if (!c.ratio) continue;
    const d = Math.abs(c.ratio - ratio);
    if (d < diff) [best, diff] = [c.id, d];
  }
  return diff < 0.02 ? best : 'free';
}

type Crop = NonNullable<Recipe['crop']>;
const r4 = (v: number) => Math.round(v * 10000) / 10000;
const MIN_CROP = 0.05;

/** Moves a crop by (dx, dy), kept inside the image. */
export function moveCrop(c: Crop, dx: number, dy: number): Crop {
  return { x: r4(Math.min(Math.max(c.x + dx, 0), 1 - c.w)), y: r4(Math.min(Math.max(c.y + dy, 0), 1 - c.h)), w: c.w, h: c.h };
}

/** Grows or shrinks a crop from its bottom-right corner, kept inside and no smaller than 5 %. */
export function resizeCrop(c: Crop, dw: number, dh: number): Crop {
  return { x: c.x, y: c.y, w: r4(Math.min(Math.max(c.w + dw, MIN_CROP), 1 - c.x)), h: r4(Math.min(Math.max(c.h + dh, MIN_CROP), 1 - c.y)) };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, Math.round(v * 1000) / 1000));

/** Moves text i by (dx, dy) in fractions of the image, kept inside. */
export function nudge(r: Recipe, i: number, dx: number, dy: number): Recipe {
  const texts = (r.texts ?? []).map((t, j) => (j === i ? { ...t, x: clamp01(t.x + dx), y: clamp01(t.y + dy) } : t));
  return { ...r, texts };
}

/** Puts text i at (x, y). */
export function place(r: Recipe, i: number, x: number, y: number): Recipe {
  const texts = (r.texts ?? []).map((t, j) => (j === i ? { ...t, x: clamp01(x), y: clamp01(y) } : t));
  return { ...r, texts };
}

/** A new text block in one of the kit's styles (or a legible default). */
export function newText(text: string, style: TextStyle | undefined, kind: 'heading' | 'caption', y: number): TextLayer {
  return {
    text,
    font: style?.font ?? (kind === 'heading' ? 'go-bold' : 'go-regular'),
    color: style?.color ?? '#ffffff',
    size: style?.size ?? (kind === 'heading' ? 0.08 : 0.05),
    align: 'center',
    x: 0.5,
    y,
    maxWidth: 0.9,
    shadow: true,
  };
}

/** The recipe a Save sends: fields at their neutral value are left out. */
export function compact(r: Recipe): Recipe {
  const out: Recipe = { v: 1 };
  if (r.canvas) out.canvas = r.canvas;
  if (r.rotate) out.rotate = r.rotate;
  if (r.flipH) out.flipH = true;
  if (r.flipV) out.flipV = true;
  if (r.straighten) out.straighten = r.straighten;
  if (r.crop) out.crop = r.crop;
  for (const k of ['brightness', 'contrast', 'saturation', 'warmth'] as const) if (r[k]) out[k] = r[k];
  if (r.texts?.length) out.texts = r.texts;
  if (r.logo) out.logo = r.logo;
  return out;
}
