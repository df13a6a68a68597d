// Splits a post's text into plain runs, links, hashtags and mentions, so a
// preview can colour them the way each network does. Links are found with
// the same pattern Go and the counters use (lib/limits), so what shows as a
// link is what counts as 23 on X.
import { urlRegex } from '../../../lib/limits';

export type SegmentKind = 'text' | 'link' | 'hashtag' | 'mention';

export interface Segment {
  kind: SegmentKind;
  text: string;
}

const URL_TRIM = /[.,;:!?)\]}'"]+$/;
// A hashtag as Go counts it, or a mention: @name, @name.bsky.social, @name@instance.tld.
const TAG_OR_MENTION =
  /(^|[^\p{L}\p{N}_&/#@])(?:(#[\p{L}\p{M}\p{N}_]*[\p{L}\p{M}][\p{L}\p{M}\p{N}_]*)|(@[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*(?:@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)?))/gu;

function pushText(out: Segment[], text: string) {
  if (!text) return;
  const last = out[out.length - 1];
  if (last?.kind === 'text') last.text += text;
  else out.push({ kind: 'text', text });
}

function tagsAndMentions(out: Segment[], text: string) {
  let prev = 0;
  for (const m of text.matchAll(TAG_OR_MENTION)) {
    const start = m.index + m[1].length;
    pushText(out, text.slice(prev, start));
    const token = m[2] ?? m[3];
    out.push({ kind: m[2] ? 'hashtag' : 'mention', text: token });
    prev = start + token.length;
  }
  pushText(out, text.slice(prev));
}

/** The text as segments; joining their texts gives the input back. */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let prev = 0;
  for (const m of text.matchAll(urlRegex())) {
    const u = m[0].replace(URL_TRIM, '');
    tagsAndMentions(out, text.slice(prev, m.index));
    out.push({ kind: 'link', text: u });
    prev = m.index + u.length;
  }
  tagsAndMentions(out, text.slice(prev));
  return out;
}

/** How a network shows a link: X, Mastodon and Bluesky shorten it; others show it whole. */
export function displayLink(url: string, network: string): string {
  if (!['x', 'mastodon', 'bluesky', 'threads'].includes(network)) return url;
  const bare = url.replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  return bare.length > 26 ? `${bare.slice(0, 25)}…` : bare;
}

/** Networks whose captions turn links into links (Instagram, TikTok and Pinterest show them as text). */
export function linksClickable(network: string): boolean {
  return !['instagram', 'tiktok', 'pinterest'].includes(network);
}

/** Initials for an avatar: "Panadería Sol" → "PS", "@solbakery" → "SO". */
export function initials(name: string): string {
  const words = name
    .replace(/^[@#]+/, '')
    .split(/[\s._-]+/u)
    .filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length === 1) return Array.from(words[0]).slice(0, 2).join('').toUpperCase();
  return (Array.from(words[0])[0] + Array.from(words[1])[0]).toUpperCase();
}
