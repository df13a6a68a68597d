// Editing a composer text area: a hashtag set put in at the cursor, and a
// paste cleaned of what Go refuses (with a notice). The text itself lives in
// the component that owns the area; these helpers compute the new value and
// put the caret back once the DOM has it.
import { tick } from 'svelte';
import { t } from '../../lib/i18n/index.svelte';
import { toast } from '../../lib/ui/toasts.svelte';
import { insertAt, sanitizeText } from './text-input';

/** value with tags put in at el's selection (at the end when there is no area). */
export function insertInto(el: HTMLTextAreaElement | undefined, value: string, tags: string): { value: string; caret: number } {
  return insertAt(value, el ? el.selectionStart : value.length, el ? el.selectionEnd : value.length, tags);
}

/** The pasted text without NUL and broken characters, put into value; null when it needed nothing (the browser pastes it). */
export function cleanPaste(e: ClipboardEvent, value: string): { value: string; caret: number } | null {
  const raw = e.clipboardData?.getData('text/plain');
  if (!raw) return null;
  const clean = sanitizeText(raw);
  if (clean.removed === 0) return null;
  e.preventDefault();
  const el = e.currentTarget as HTMLTextAreaElement;
  const s = el.selectionStart;
  toast(t('composer.pasteCleaned', { count: clean.removed }), 'warning');
  return { value: value.slice(0, s) + clean.text + value.slice(el.selectionEnd), caret: s + clean.text.length };
}

/** Focuses the area (looked up after the update) with the caret at pos. */
export async function caretAt(el: () => HTMLTextAreaElement | undefined, pos: number) {
  await tick();
  const area = el();
  area?.focus();
  area?.setSelectionRange(pos, pos);
}
