// Brand guidelines, checked live as the text is typed: the same rules as Go's
// backend.GuidelineWarnings (which Save also returns as SaveResult.warnings).
// Advice only: nothing here ever blocks saving or scheduling.

export interface GuidelineWarning {
  key: 'guidelines.banned' | 'guidelines.missing';
  params: Record<string, string>;
}

const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;
const WORD_RUNE = /^[\p{L}\p{Nd}_]$/u;

/**
 * needle appears in haystack not glued to other letters or digits (both
 * already lower-cased). A needle that starts or ends with a non-word rune
 * ("#tag!") falls back to a substring test, as in Go.
 */
export function containsWord(haystack: string, needle: string): boolean {
  if (!needle) return false;
  const re = new RegExp(`(^|[^\\p{L}\\p{N}_])${needle.replace(SYNTAX, '\\$&')}($|[^\\p{L}\\p{N}_])`, 'u');
  if (re.test(haystack)) return true;
  const runes = Array.from(needle);
  if (!WORD_RUNE.test(runes[0]) || !WORD_RUNE.test(runes[runes.length - 1])) return haystack.includes(needle);
  return false;
}

/** Banned words present and required tags missing, in the client's order. */
export function guidelineWarnings(
  client: { bannedWords?: string[] | null; requiredTags?: string[] | null },
  text: string,
): GuidelineWarning[] {
  const out: GuidelineWarning[] = [];
  const lower = text.toLowerCase();
  for (const w of client.bannedWords ?? []) {
    if (containsWord(lower, w.toLowerCase())) out.push({ key: 'guidelines.banned', params: { word: w } });
  }
  for (const tag of client.requiredTags ?? []) {
    if (!containsWord(lower, tag.toLowerCase())) out.push({ key: 'guidelines.missing', params: { tag } });
  }
  return out;
}

/** What Go checks on save: the base text and the first comment together. */
export function postGuidelineText(text: string, firstComment: string): string {
  return `${text}\n${firstComment}`;
}
