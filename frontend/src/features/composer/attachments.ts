// Images on a post in the composer (issue 5): order, per-network preset
// choice and image count limits. Pure functions, tested in attachments.test.ts.
import type { AttachedImage, PresetView } from '../../lib/api';
import { graphemeCount } from '../../lib/limits';
import { cropBackground, cropRect } from '../media/focal';

/** What limits need from an account. */
export interface AccountLike {
  id: number;
  network: string;
  limits?: { maxMedia?: number; descriptionLimit?: number } | null;
}

/** Moves the item at `from` to `to` (clamped); returns a new array. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length) return [...list];
  const dest = Math.min(Math.max(to, 0), list.length - 1);
  const out = [...list];
  const [it] = out.splice(from, 1);
  out.splice(dest, 0, it);
  return out;
}

/**
 * How many images a post may carry for this account (0 = no known limit):
 * a Mastodon account's own instance limit, else the network's (Go's
 * backend.MaxImages, through MediaService.MaxImages).
 */
export function imageLimit(a: AccountLike, maxByNetwork: Record<string, number>): number {
  if (a.network === 'mastodon' && (a.limits?.maxMedia ?? 0) > 0) return a.limits!.maxMedia!;
  return maxByNetwork[a.network] ?? 0;
}

export interface ImageLimitBreach {
  network: string;
  count: number;
  max: number;
}

/** The networks whose limit `count` images break, once per network and limit. */
export function imageBreaches(accounts: readonly AccountLike[], count: number, maxByNetwork: Record<string, number>): ImageLimitBreach[] {
  const out: ImageLimitBreach[] = [];
  for (const a of accounts) {
    const max = imageLimit(a, maxByNetwork);
    if (max > 0 && count > max && !out.some((b) => b.network === a.network && b.max === max)) out.push({ network: a.network, count, max });
  }
  return out;
}

/** The networks of the post that need an image or a video when it has none, once each. */
export function mediaMissing(accounts: readonly AccountLike[], count: number, required: readonly string[]): string[] {
  if (count > 0) return [];
  const out: string[] = [];
  for (const a of accounts) if (required.includes(a.network) && !out.includes(a.network)) out.push(a.network);
  return out;
}

/**
 * How long an image's alt text may be for this account (0 = no known
 * limit): a Mastodon account's own instance limit, else the network's (Go's
 * backend.MaxAltText, through MediaService.MaxAltText).
 */
export function altLimit(a: AccountLike, maxAltByNetwork: Record<string, number>): number {
  if (a.network === 'mastodon' && (a.limits?.descriptionLimit ?? 0) > 0) return a.limits!.descriptionLimit!;
  return maxAltByNetwork[a.network] ?? 0;
}

/** Alt text as `network` counts it (Go's textlimit.AltTextLength): Bluesky graphemes, others characters. */
export function altLength(network: string, alt: string): number {
  const s = alt.trim();
  return network === 'bluesky' ? graphemeCount(s) : [...s].length;
}

export interface AltBreach {
  mediaId: number;
  name: string;
  network: string;
  used: number;
  max: number;
}

/** The images whose alt text is longer than a network of the post takes, once per image, network and limit. */
export function altBreaches(
  accounts: readonly AccountLike[],
  images: readonly { mediaId: number; name: string; alt: string }[],
  maxAltByNetwork: Record<string, number>,
): AltBreach[] {
  const out: AltBreach[] = [];
  for (const im of images) {
    for (const a of accounts) {
      const max = altLimit(a, maxAltByNetwork);
      if (max <= 0 || out.some((b) => b.mediaId === im.mediaId && b.network === a.network && b.max === max)) continue;
      const used = altLength(a.network, im.alt);
      if (used > max) out.push({ mediaId: im.mediaId, name: im.name, network: a.network, used, max });
    }
  }
  return out;
}

/** The presets a variant for `network` may use, its default first. */
export function presetsFor(presets: readonly PresetView[], network: string): PresetView[] {
  const list = presets.filter((p) => p.network === network);
  return [...list.filter((p) => p.default), ...list.filter((p) => !p.default)];
}

/** The preset an image gets on `network`: the post's choice when allowed, else the default. */
export function presetOf(presets: readonly PresetView[], network: string, chosen: Record<string, string> | undefined): PresetView | undefined {
  const list = presetsFor(presets, network);
  return list.find((p) => p.id === chosen?.[network]) ?? list[0];
}

/** Sets (or, for the default, clears) the chosen preset of one network. */
export function choosePreset(chosen: Record<string, string> | undefined, network: string, preset: PresetView): Record<string, string> {
  const out = { ...(chosen ?? {}) };
  if (preset.default) delete out[network];
  else out[network] = preset.id;
  return out;
}

/** Distinct networks of the accounts, in order, that take images (have presets). */
export function imageNetworks(accounts: readonly AccountLike[], presets: readonly PresetView[]): string[] {
  const out: string[] = [];
  for (const a of accounts) if (!out.includes(a.network) && presets.some((p) => p.network === a.network)) out.push(a.network);
  return out;
}

/** One image as the network preview shows it: the crop its preset keeps. */
export interface PreviewTile {
  id: number;
  src: string;
  alt: string;
  ratio: number; // width / height of the crop
  size: string; // CSS background-size
  position: string; // CSS background-position
}

/**
 * The images of a post as `network` will show them: each cropped by the
 * preset it gets there (around its focal point), in order.
 */
export function previewTiles(images: readonly AttachedImage[], presets: readonly PresetView[], network: string): PreviewTile[] {
  return images.map((x) => {
    const m = x.media;
    const p = presetOf(presets, network, x.presets);
    const crop = p?.fill ? cropRect(m.width, m.height, p.width, p.height, { x: m.focalX, y: m.focalY }) : { x: 0, y: 0, width: m.width, height: m.height };
    const bg = cropBackground(m.width, m.height, crop);
    return { id: x.mediaId, src: m.viewUrl || m.thumbUrl, alt: m.alt, ratio: crop.width / Math.max(crop.height, 1), size: bg.size, position: bg.position };
  });
}
