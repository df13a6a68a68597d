// Text going into the composer: pasted text cleaned of what Go refuses (NUL,
// and lone UTF-16 surrogates, which are invalid UTF-8 once sent), and
// snippets (hashtag sets) inserted at the cursor.

/** Removes NUL characters and unpaired surrogates; says how many went. */
export function sanitizeText(text: string): { text: string; removed: number } {
  let removed = 0;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let bad = false;
    if (c === 0) bad = true;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else bad = true;
    } else if (c >= 0xdc00 && c <= 0xdfff) bad = true;
    if (bad) {
      out += text.slice(from, i);
      from = i + 1;
      removed++;
    }
  }
  if (removed === 0) return { text, removed: 0 };
  return { text: out + text.slice(from), removed };
}

/**
 * Inserts snippet into value at [start, end), with a space on each side where
 * it would otherwise glue onto a word. Returns the new value and the caret
 * after the snippet.
 */
export function insertAt(value: string, start: number, end: number, snippet: string): { value: string; caret: number } {
  const s = Math.max(0, Math.min(start, value.length));
  const e = Math.max(s, Math.min(end, value.length));
  const before = value.slice(0, s);
  const after = value.slice(e);
  const lead = before && !/\s$/.test(before) ? ' ' : '';
  const trail = after && !/^\s/.test(after) ? ' ' : '';
  const inserted = lead + snippet.trim() + trail;
  return { value: before + inserted + after, caret: s + inserted.length };
}

/** "a, b ,, c" → ["a", "b", "c"] is in lib/text; this adds one label to the comma list if absent. */
export function addLabel(input: string, label: string): string {
  const parts = input
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  // The fragment being typed is replaced by the suggestion it started.
  const last = input.trimEnd().endsWith(',') ? '' : (parts[parts.length - 1] ?? '');
  if (last && label.toLowerCase().startsWith(last.toLowerCase()) && last.toLowerCase() !== label.toLowerCase()) parts.pop();
  if (!parts.some((p) => p.toLowerCase() === label.toLowerCase())) parts.push(label);
  return parts.join(', ');
}

/** The label fragment being typed (after the last comma). */
export function typingLabel(input: string): string {
  const i = input.lastIndexOf(',');
  return input.slice(i + 1).trim();
}
