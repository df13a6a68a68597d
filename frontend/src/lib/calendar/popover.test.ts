import { describe, expect, it } from 'vitest';
import { placePopover, popoverKey } from './popover';
import { byClients, parsePicked, pickedNames, togglePicked } from './clientpick';

describe('popoverKey', () => {
  it('moves through the posts with arrows, wrapping, and Home/End', () => {
    expect(popoverKey('ArrowDown', false, -1, 3)).toEqual({ focus: 0 });
    expect(popoverKey('ArrowDown', false, 2, 3)).toEqual({ focus: 0 });
    expect(popoverKey('ArrowUp', false, 0, 3)).toEqual({ focus: 2 });
    expect(popoverKey('ArrowUp', false, -1, 3)).toEqual({ focus: 2 });
    expect(popoverKey('Home', false, 2, 3)).toEqual({ focus: 0 });
    expect(popoverKey('End', false, 0, 3)).toEqual({ focus: 2 });
  });
  it('keeps Tab inside: close button, posts, back to the close button', () => {
    expect(popoverKey('Tab', false, -1, 2)).toEqual({ focus: 0 });
    expect(popoverKey('Tab', false, 0, 2)).toEqual({ focus: 1 });
    expect(popoverKey('Tab', false, 1, 2)).toEqual({ focus: -1 });
    expect(popoverKey('Tab', true, -1, 2)).toEqual({ focus: 1 });
    expect(popoverKey('Tab', true, 0, 2)).toEqual({ focus: -1 });
    expect(popoverKey('Tab', true, 1, 2)).toEqual({ focus: 0 });
  });
  it('closes on Escape and ignores other keys', () => {
    expect(popoverKey('Escape', false, 1, 2)).toEqual({ close: true });
    expect(popoverKey('Escape', false, -1, 0)).toEqual({ close: true });
    expect(popoverKey('Enter', false, 0, 2)).toBeNull();
    expect(popoverKey('ArrowDown', false, -1, 0)).toBeNull();
  });
});

describe('placePopover', () => {
  const vp = { width: 1000, height: 700 };
  it('covers the cell from its corner, at least as wide', () => {
    expect(placePopover({ left: 100, top: 200, width: 120, height: 96 }, { width: 260, height: 200 }, vp)).toEqual({ left: 100, top: 200, width: 260 });
    expect(placePopover({ left: 100, top: 200, width: 300, height: 96 }, { width: 260, height: 200 }, vp).width).toBe(300);
  });
  it('stays inside the viewport', () => {
    expect(placePopover({ left: 900, top: 650, width: 120, height: 96 }, { width: 260, height: 200 }, vp)).toEqual({ left: 732, top: 492, width: 260 });
    expect(placePopover({ left: -20, top: -5, width: 120, height: 96 }, { width: 260, height: 200 }, vp)).toEqual({ left: 8, top: 8, width: 260 });
  });
});

describe('multi-client filter', () => {
  const known = new Set([1, 2, 3]);
  it('parses the stored choice, dropping unknown or malformed ids', () => {
    expect(parsePicked('[1,3,3,9,"2",2.5]', known)).toEqual([1, 3]);
    expect(parsePicked('{"a":1}', known)).toEqual([]);
    expect(parsePicked('not json', known)).toEqual([]);
    expect(parsePicked(null, known)).toEqual([]);
  });
  it('toggles and filters', () => {
    expect(togglePicked([1], 2)).toEqual([1, 2]);
    expect(togglePicked([1, 2], 1)).toEqual([2]);
    const posts = [{ clientId: 1 }, { clientId: 2 }, { clientId: 3 }];
    expect(byClients(posts, [])).toBe(posts);
    expect(byClients(posts, [3, 1])).toEqual([{ clientId: 1 }, { clientId: 3 }]);
  });
  it('names the picked clients in sidebar order', () => {
    const clients = [
      { id: 1, name: 'Ana' },
      { id: 2, name: 'Bea' },
      { id: 3, name: 'Car' },
    ];
    expect(pickedNames([3, 1], clients)).toEqual({ names: ['Ana', 'Car'], more: 0 });
    expect(pickedNames([3, 2, 1], clients)).toEqual({ names: ['Ana', 'Bea'], more: 1 });
  });
});
