import { describe, expect, it } from 'vitest';
import { containedBox, cropBackground, cropRect, focalFromPoint, focalInside, formatBytes, normalize, nudge } from './focal';

describe('focal point from a click', () => {
  it('maps a click on a letterboxed image to fractions of the image', () => {
    // A 2000×1000 picture in a 400×400 box: drawn 400×200, 100 px bars above and below.
    const drawn = containedBox({ left: 10, top: 20, width: 400, height: 400 }, 2000, 1000);
    expect(drawn).toEqual({ left: 10, top: 120, width: 400, height: 200 });
    expect(focalFromPoint(10 + 100, 120 + 150, drawn)).toEqual({ x: 0.25, y: 0.75 });
    expect(focalFromPoint(10 + 200, 120 + 100, drawn)).toEqual({ x: 0.5, y: 0.5 });
  });
  it('clamps clicks on the bars to the image edge', () => {
    const drawn = containedBox({ left: 0, top: 0, width: 400, height: 400 }, 2000, 1000);
    expect(focalFromPoint(-5, 10, drawn)).toEqual({ x: 0, y: 0 });
    expect(focalFromPoint(500, 390, drawn)).toEqual({ x: 1, y: 1 });
  });
  it('rounds to the 0.001 the cache is keyed by and survives NaN', () => {
    expect(normalize({ x: 0.12345, y: 0.9999 })).toEqual({ x: 0.123, y: 1 });
    expect(normalize({ x: NaN, y: Infinity })).toEqual({ x: 0.5, y: 0.5 });
    expect(focalFromPoint(1, 1, { left: 0, top: 0, width: 0, height: 0 })).toEqual({ x: 0.5, y: 0.5 });
  });
});

describe('keyboard nudges', () => {
  it('moves 1 % per arrow and 10 % with Shift, within the image', () => {
    expect(nudge({ x: 0.5, y: 0.5 }, 'ArrowRight')).toEqual({ x: 0.51, y: 0.5 });
    expect(nudge({ x: 0.5, y: 0.5 }, 'ArrowUp', true)).toEqual({ x: 0.5, y: 0.4 });
    expect(nudge({ x: 0.005, y: 0.5 }, 'ArrowLeft')).toEqual({ x: 0, y: 0.5 });
    expect(nudge({ x: 0.95, y: 0.95 }, 'ArrowDown', true)).toEqual({ x: 0.95, y: 1 });
    expect(nudge({ x: 0.1, y: 0.9 }, 'Home')).toEqual({ x: 0.5, y: 0.5 });
  });
  it('ignores other keys so they keep their meaning', () => {
    expect(nudge({ x: 0.5, y: 0.5 }, 'Tab')).toBeNull();
    expect(nudge({ x: 0.5, y: 0.5 }, 'a')).toBeNull();
  });
  it('repeated small steps do not drift (0.1 + 0.2 style)', () => {
    let f = { x: 0.5, y: 0.5 };
    for (let i = 0; i < 7; i++) f = nudge(f, 'ArrowRight')!;
    expect(f.x).toBe(0.57);
  });
});

describe('crop rectangles (same as Go media.CropRect)', () => {
  it('centres on the focal point and slides back inside', () => {
    expect(cropRect(2400, 1200, 1, 1, { x: 0.5, y: 0.5 })).toEqual({ x: 600, y: 0, width: 1200, height: 1200 });
    expect(cropRect(2400, 1200, 1, 1, { x: 0, y: 0 })).toEqual({ x: 0, y: 0, width: 1200, height: 1200 });
    expect(cropRect(2400, 1200, 1, 1, { x: 1, y: 1 })).toEqual({ x: 1200, y: 0, width: 1200, height: 1200 });
    expect(cropRect(1000, 3000, 1080, 1350, { x: 0.5, y: 0.1 })).toEqual({ x: 0, y: 0, width: 1000, height: 1250 });
  });
  it('keeps the focal pixel inside every ratio', () => {
    const ratios = [
      [1080, 1350],
      [1080, 1080],
      [1080, 566],
      [1080, 1920],
      [1600, 900],
      [1000, 1500],
    ];
    for (const [w, h] of [
      [6000, 4000],
      [4000, 6000],
      [641, 479],
    ]) {
      for (const [rw, rh] of ratios) {
        for (const f of [
          { x: 0, y: 0 },
          { x: 0.999, y: 0.001 },
          { x: 0.37, y: 0.81 },
          { x: 1, y: 1 },
        ]) {
          const c = cropRect(w, h, rw, rh, f);
          expect(focalInside(w, h, c, f)).toBe(true);
          expect(c.x >= 0 && c.y >= 0 && c.x + c.width <= w && c.y + c.height <= h).toBe(true);
          expect(Math.abs(c.width / c.height - rw / rh)).toBeLessThan(2 / Math.min(c.width, c.height));
        }
      }
    }
  });
  it('turns a crop into background size and position', () => {
    expect(cropBackground(2400, 1200, { x: 600, y: 0, width: 1200, height: 1200 })).toEqual({ size: '200% 100%', position: '50% 0%' });
    expect(cropBackground(100, 100, { x: 0, y: 0, width: 100, height: 100 })).toEqual({ size: '100% 100%', position: '0% 0%' });
  });
});

it('formats sizes in decimal units', () => {
  expect(formatBytes(999, 'en-GB')).toBe('999 B');
  expect(formatBytes(830_400, 'en-GB')).toBe('830 KB');
  expect(formatBytes(1_250_000, 'es-ES')).toBe('1,3 MB');
});
