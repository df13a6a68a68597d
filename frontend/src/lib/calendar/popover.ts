// The month view's day popover ("+N more", issue 16): which post the
// keyboard goes to, and where the popover sits. Pure, for tests.

export type PopoverMove = { focus: number } | { close: true } | null;

/**
 * The popover's answer to a key, with `count` focusable posts and the one at
 * `index` focused (-1: the close button or the popover itself). Arrows and
 * Home/End move between the posts (wrapping), Tab and Shift+Tab cycle through
 * them too (the focus stays in the popover), Escape closes.
 */
export function popoverKey(key: string, shift: boolean, index: number, count: number): PopoverMove {
  if (key === 'Escape') return { close: true };
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
    case 'ArrowRight':
      return { focus: index < 0 ? 0 : (index + 1) % count };
    case 'ArrowUp':
    case 'ArrowLeft':
      return { focus: index < 0 ? count - 1 : (index - 1 + count) % count };
    case 'Home':
      return { focus: 0 };
    case 'End':
      return { focus: count - 1 };
    case 'Tab':
      // -1 (the close button) sits before the first post.
      if (shift) return { focus: index <= 0 ? (index === 0 ? -1 : count - 1) : index - 1 };
      return { focus: index >= count - 1 ? -1 : index + 1 };
    default:
      return null;
  }
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where a popover of `size` goes for a day cell at `anchor` (viewport
 * coordinates): over the cell, from its top-left corner, at least as wide
 * as the cell, and moved back inside the viewport (8 px margin).
 */
export function placePopover(anchor: Box, size: { width: number; height: number }, viewport: { width: number; height: number }): { left: number; top: number; width: number } {
  const m = 8;
  const width = Math.min(Math.max(size.width, anchor.width), viewport.width - 2 * m);
  const left = Math.max(m, Math.min(anchor.left, viewport.width - m - width));
  const top = Math.max(m, Math.min(anchor.top, viewport.height - m - size.height));
  return { left, top, width };
}
