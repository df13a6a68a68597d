// What a person calls "characters": grapheme clusters, so 👩‍👩‍👧 or "é"
// written as e + accent count as one.

let segmenter: Intl.Segmenter | undefined;

export function countGraphemes(text: string): number {
  if (!text) return 0;
  if (typeof Intl.Segmenter === 'function') {
    segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    let n = 0;
    for (const _ of segmenter.segment(text)) n++;
    return n;
  }
  return [...text].length; // code points: close enough without Segmenter
}

/** "a, b ,, c" → ["a", "b", "c"], without case-insensitive duplicates. */
export function parseLabels(input: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of input.split(',')) {
    const l = raw.trim();
    if (!l || seen.has(l.toLowerCase())) continue;
    seen.add(l.toLowerCase());
    out.push(l);
  }
  return out;
}
