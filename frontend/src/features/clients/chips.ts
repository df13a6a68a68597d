// Splitting typed or pasted lists (banned words, required tags) into entries.

/** "a, b\n c,, A" → ["a", "b", "c"]: trimmed, no empties, no case-insensitive repeats. */
export function splitEntries(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,\n\r]+/)) {
    const v = raw.trim();
    if (!v || seen.has(v.toLowerCase())) continue;
    seen.add(v.toLowerCase());
    out.push(v);
  }
  return out;
}
