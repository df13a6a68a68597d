// Text limits per network, counted exactly like Go's backend/textlimit (which
// refuses to schedule a post over its limit). Both sides are tested against
// backend/textlimit/testdata/vectors.json, so a counter that says "280 / 280"
// here is a post Go accepts. Keep the two in step: change one, change both.

export type Unit = 'graphemes' | 'weighted' | 'bytes';

export interface Rule {
  network: string;
  limit: number;
  unit: Unit;
  byteLimit?: number; // a second cap in UTF-8 bytes (Bluesky)
  hashtagLimit?: number; // Instagram: 5 since December 2025
  urlWeight?: number; // a URL counts as this many (X, Mastodon)
}

/** What is known at run time: a connected Mastodon account's own instance limits (0 = default). */
export interface LimitOptions {
  mastodonMaxChars?: number;
  mastodonUrlChars?: number;
}

export interface Count {
  rule: Rule;
  used: number;
  bytes: number;
  hashtags: number;
  over: boolean;
}

/** The limit rule for a network (textlimit.RuleFor). */
export function ruleFor(network: string, o: LimitOptions = {}): Rule {
  switch (network) {
    case 'bluesky':
      return { network, limit: 300, unit: 'graphemes', byteLimit: 3000 };
    case 'x':
      return { network, limit: 280, unit: 'weighted', urlWeight: 23 };
    case 'mastodon':
      return {
        network,
        limit: o.mastodonMaxChars && o.mastodonMaxChars > 0 ? o.mastodonMaxChars : 500,
        unit: 'graphemes',
        urlWeight: o.mastodonUrlChars && o.mastodonUrlChars > 0 ? o.mastodonUrlChars : 23,
      };
    case 'instagram':
      return { network, limit: 2200, unit: 'graphemes', hashtagLimit: 5 };
    case 'linkedin':
      return { network, limit: 3000, unit: 'graphemes' };
    case 'threads':
      return { network, limit: 500, unit: 'graphemes' }; // emoji count as their UTF-8 length
    case 'facebook':
      return { network, limit: 63206, unit: 'graphemes' };
    case 'tiktok':
      return { network, limit: 2200, unit: 'graphemes' };
    case 'pinterest':
      return { network, limit: 500, unit: 'graphemes' };
    case 'youtube':
      return { network, limit: 5000, unit: 'bytes' };
    case 'google_business':
      return { network, limit: 1500, unit: 'graphemes' };
  }
  return { network, limit: 0, unit: 'graphemes' };
}

// --- Regular expressions, transcribed from Go's RE2 ---------------------
// Go's \s is ASCII [\t\n\f\r ] and its \b is ASCII: the URL pattern has no
// `u` flag so JS's \b is ASCII too, and whitespace is spelled out.
const URL_SOURCE = String.raw`\b(?:https?:\/\/|www\.)[^\t\n\f\r <>"]+`;
const URL_TRIM = /[.,;:!?)\]}'"]+$/;
const HASHTAG_SOURCE = String.raw`(?:^|[^\p{L}\p{N}_&/#])#([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}][\p{L}\p{M}\p{N}_]*)`;
const MENTION_RE = /(^|[^\p{L}\p{N}_/])@([\p{L}\p{N}_]+)@[\p{L}\p{N}.-]+\p{L}/gu;

/** A fresh global URL regex (callers iterate with lastIndex). */
export function urlRegex(): RegExp {
  return new RegExp(URL_SOURCE, 'gi');
}

/** A fresh global hashtag regex; group 1 is the tag without '#'. */
export function hashtagRegex(): RegExp {
  return new RegExp(HASHTAG_SOURCE, 'gu');
}

function trimURL(u: string): string {
  return u.replace(URL_TRIM, '');
}

/** The links in text, without trailing punctuation. */
export function urls(text: string): string[] {
  return Array.from(text.matchAll(urlRegex()), (m) => trimURL(m[0]));
}

/** The hashtags in text, without '#'. */
export function hashtags(text: string): string[] {
  return Array.from(text.matchAll(hashtagRegex()), (m) => m[1]);
}

function hashtagCount(text: string): number {
  if (!text.includes('#')) return 0;
  let n = 0;
  for (const _ of text.matchAll(hashtagRegex())) n++;
  return n;
}

/** The text between links, and how many links there are. */
function splitURLs(text: string): { rest: string[]; urls: number } {
  const rest: string[] = [];
  let prev = 0;
  let n = 0;
  for (const m of text.matchAll(urlRegex())) {
    const u = trimURL(m[0]);
    rest.push(text.slice(prev, m.index));
    prev = m.index + u.length;
    n++;
  }
  rest.push(text.slice(prev));
  return { rest, urls: n };
}

/** UTF-8 length of a JS string (a lone surrogate becomes U+FFFD: 3 bytes, as Go receives it). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

let segmenter: Intl.Segmenter | undefined;
function graphemes(text: string): Iterable<{ segment: string }> {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter.segment(text);
}

function xWeight(cp: number): number {
  if (cp <= 0x10ff || (cp >= 0x2000 && cp <= 0x200d) || (cp >= 0x2010 && cp <= 0x201f) || (cp >= 0x2032 && cp <= 0x2037)) return 1;
  return 2;
}

/** A grapheme cluster with an emoji presentation: pictographic, a flag or a keycap sequence. */
function isEmoji(g: string): boolean {
  let i = 0;
  for (const ch of g) {
    const r = ch.codePointAt(0)!;
    if (
      (r >= 0x1f000 && r <= 0x1faff) ||
      (r >= 0x2600 && r <= 0x27bf) ||
      (r >= 0x2300 && r <= 0x23ff) ||
      (r >= 0x2b00 && r <= 0x2bff) ||
      (r >= 0x1f1e6 && r <= 0x1f1ff)
    )
      return true;
    if ((r === 0xfe0f && i > 0) || r === 0x20e3) return true;
    i++;
  }
  return false;
}

/**
 * A UTF-16 unit that is always a grapheme cluster of its own when its
 * neighbour is one too: Latin-1 and Latin Extended (below the combining
 * marks) and CJK ideographs, except CR (CR LF is one cluster) and © ® (they
 * are Extended_Pictographic, joined after a ZWJ). Between two such units
 * UAX #29 always breaks, so the segmenter only sees the runs in between.
 */
function simple(c: number): boolean {
  return (c < 0x300 && c !== 0x0d && c !== 0xa9 && c !== 0xae) || (c >= 0x4e00 && c <= 0x9fff);
}

interface Scan {
  graphemes: number;
  x: number; // X weights, without URL handling
  threads: number;
}

/** One pass over text: grapheme count, X weight and Threads length together. */
function scan(text: string): Scan {
  let g = 0;
  let x = 0;
  let th = 0;
  const n = text.length;
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && !(simple(text.charCodeAt(i - 1)) && simple(text.charCodeAt(i)))) continue;
    // [start, i) ends at a sure boundary.
    const c = text.charCodeAt(start);
    if (i - start === 1 && simple(c)) {
      g++;
      x += xWeight(c);
      th++;
    } else {
      for (const { segment } of graphemes(text.slice(start, i))) {
        g++;
        if (isEmoji(segment)) {
          x += 2;
          th += utf8Length(segment);
        } else {
          for (const ch of segment) x += xWeight(ch.codePointAt(0)!);
          th++;
        }
      }
    }
    start = i;
  }
  return { graphemes: g, x, threads: th };
}

// Typing re-measures the same few texts for every selected network: keep the
// last scans (base text, its URL-free parts, each account's own text).
const scans = new Map<string, Scan>();
function scanned(text: string): Scan {
  let s = scans.get(text);
  if (!s) {
    s = scan(text);
    if (scans.size >= 256) scans.delete(scans.keys().next().value!);
    scans.set(text, s);
  }
  return s;
}

/** Grapheme clusters (what a person calls characters), like uniseg.GraphemeClusterCount. */
export function graphemeCount(text: string): number {
  return text ? scanned(text).graphemes : 0;
}

/** X's count: NFC, each URL 23, each emoji 2, Latin/General Punctuation code points 1, others 2. */
export function weightedLength(text: string): number {
  const { rest, urls: n } = splitURLs(text.normalize('NFC'));
  let total = n * 23;
  for (const p of rest) if (p) total += scanned(p).x;
  return total;
}

/** Mastodon: graphemes, every URL as w, remote mentions (@user@domain) as their local part. */
function mastodonLength(text: string, w: number): number {
  const t = text.includes('@') ? text.replace(MENTION_RE, '$1@$2') : text;
  const { rest, urls: n } = splitURLs(t);
  let total = n * w;
  for (const p of rest) total += graphemeCount(p);
  return total;
}

/** Threads: graphemes, emoji counting as their UTF-8 byte length. */
function threadsLength(text: string): number {
  return text ? scanned(text).threads : 0;
}

/** Counts text for a network (textlimit.Measure). */
export function measure(network: string, text: string, o: LimitOptions = {}): Count {
  const rule = ruleFor(network, o);
  const bytes = utf8Length(text);
  const tags = hashtagCount(text);
  let used: number;
  if (network === 'x') used = weightedLength(text);
  else if (network === 'mastodon') used = mastodonLength(text, rule.urlWeight ?? 23);
  else if (network === 'threads') used = threadsLength(text);
  else if (rule.unit === 'bytes') used = bytes;
  else used = graphemeCount(text);
  const over =
    (rule.limit > 0 && used > rule.limit) ||
    (!!rule.byteLimit && bytes > rule.byteLimit) ||
    (!!rule.hashtagLimit && tags > rule.hashtagLimit);
  return { rule, used, bytes, hashtags: tags, over };
}

/**
 * measure(), except for a text over Go's MAX_POST_BYTES: Go refuses to save
 * it at all, so it is reported over every limit without being counted (a
 * 1 MB paste would otherwise cost a second per keystroke). `capped` says so.
 */
export function measureCapped(network: string, text: string, o: LimitOptions = {}): Count & { capped?: boolean } {
  const bytes = utf8Length(text);
  if (bytes <= MAX_POST_BYTES) return measure(network, text, o);
  return { rule: ruleFor(network, o), used: text.length, bytes, hashtags: 0, over: true, capped: true };
}

export type Level = 'ok' | 'near' | 'over';

/** How close a count is to its limit: amber from 90 % (or 20 left), red over. */
export function level(c: Count): Level {
  if (c.over) return 'over';
  const { limit, byteLimit, hashtagLimit } = c.rule;
  const near = (used: number, max: number) => max > 0 && used >= Math.min(max * 0.9, max - 20);
  if (near(c.used, limit) || (byteLimit && near(c.bytes, byteLimit)) || (hashtagLimit && c.hashtags >= hashtagLimit)) return 'near';
  return 'ok';
}

/** Why a count is over, for messages: the text is too long, too heavy in bytes, or has too many hashtags. */
export function overReason(c: Count): 'length' | 'bytes' | 'hashtags' | null {
  if (!c.over) return null;
  if (c.rule.limit > 0 && c.used > c.rule.limit) return 'length';
  if (c.rule.byteLimit && c.bytes > c.rule.byteLimit) return 'bytes';
  return 'hashtags';
}

/** Go's most a post text may weigh (backend.MaxPostTextLen), in UTF-8 bytes. */
export const MAX_POST_BYTES = 100_000;

/** A Mastodon account's instance limits as measure options. */
export function optionsFor(account: { network: string; limits?: { maxCharacters?: number; urlCharacters?: number } | null }): LimitOptions {
  if (account.network !== 'mastodon' || !account.limits) return {};
  return { mastodonMaxChars: account.limits.maxCharacters ?? 0, mastodonUrlChars: account.limits.urlCharacters ?? 0 };
}
