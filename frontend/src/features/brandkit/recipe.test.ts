import { describe, expect, it } from 'vitest';
import { History, compact, cropFor, cropRatioId, moveCrop, nudge, resizeCrop, turnedFocal, turnedSize } from './recipe';

describe('image editor recipe helpers', () => {
  it('undoes and redoes, merging a slider drag into one step', () => {
    const h = new History({ v: 1 });
    h.push({ v: 1, brightness: 5 });
    h.push({ v: 1, brightness: 10 }, true);
    h.push({ v: 1, brightness: 20 }, true);
    h.push({ v: 1, brightness: 20, rotate: 90 });
    expect(h.undo()).toEqual({ v: 1, brightness: 20 });
    expect(h.undo()).toEqual({ v: 1 });
    expect(h.canUndo).toBe(false);
    expect(h.redo()).toEqual({ v: 1, brightness: 20 });
    h.push({ v: 1, warmth: 3 });
    expect(h.canRedo).toBe(false);
  });

  it('crops the largest area of a ratio around the focal point, inside the image', () => {
    expect(cropFor(1, 2000, 1000, { x: 0.5, y: 0.5 })).toEqual({ x: 0.25, y: 0, w: 0.5, h: 1 });
    expect(cropFor(1, 2000, 1000, { x: 0.95, y: 0.5 })).toEqual({ x: 0.5, y: 0, w: 0.5, h: 1 });
    const p = cropFor(4 / 5, 1000, 1000, { x: 0.5, y: 0 })!;
    expect(p.y).toBe(0);
    expect(p.h).toBe(1);
    expect(p.w).toBeCloseTo(0.8);
    expect(cropFor(0, 10, 10, { x: 0.5, y: 0.5 })).toBeUndefined();
  });

  it('recognises the ratio of a crop after quarter turns', () => {
    const r = { v: 1 as const, rotate: 90 as const };
    const { w, h } = turnedSize(3000, 2000, r);
    expect([w, h]).toEqual([2000, 3000]);
    const crop = cropFor(9 / 16, w, h, { x: 0.5, y: 0.5 });
    expect(cropRatioId({ ...r, crop }, 3000, 2000)).toBe('story');
    expect(cropRatioId({ v: 1 }, 3000, 2000)).toBe('none');
    expect(cropRatioId({ v: 1, crop: { x: 0, y: 0, w: 0.3, h: 0.9 } }, 3000, 2000)).toBe('free');
  });

  it('follows the focal point through turns and flips', () => {
    expect(turnedFocal(0, 0, { v: 1, rotate: 90 })).toEqual({ x: 1, y: 0 });
    expect(turnedFocal(0.2, 0.3, { v: 1, rotate: 180 })).toEqual({ x: 0.8, y: 0.7 });
    expect(turnedFocal(0.2, 0.3, { v: 1, flipH: true })).toEqual({ x: 0.8, y: 0.3 });
  });

  it('nudges a text block and keeps it inside', () => {
    const r = { v: 1 as const, texts: [{ text: 'a', font: '', size: 0.1, color: '#fff', align: 'center' as const, x: 0.99, y: 0.5, maxWidth: 0.9 }] };
    expect(nudge(r, 0, 0.05, -0.01).texts![0]).toMatchObject({ x: 1, y: 0.49 });
  });

  it('leaves neutral fields out of what is saved', () => {
    expect(compact({ v: 1, brightness: 0, rotate: 0, texts: [], warmth: 12 })).toEqual({ v: 1, warmth: 12 });
  });
});

describe('free crop', () => {
  it('moves and resizes inside the image, never below 5 %', () => {
    const c = { x: 0.1, y: 0.1, w: 0.5, h: 0.5 };
    expect(moveCrop(c, 0.6, -0.3)).toEqual({ x: 0.5, y: 0, w: 0.5, h: 0.5 });
    expect(resizeCrop(c, 0.6, -0.9)).toEqual({ x: 0.1, y: 0.1, w: 0.9, h: 0.05 });
  });
});
