import { describe, expect, it } from 'vitest';
import type { AttachedImage, PresetView } from '../../lib/api';
import { altBreaches, altLength, altLimit, choosePreset, imageBreaches, imageLimit, imageNetworks, mediaMissing, moveItem, presetOf, presetsFor, previewTiles } from './attachments';

const P = (id: string, network: string, def = false): PresetView => ({ id, network, width: 1, height: 1, fill: true, maxBytes: 0, default: def });
const presets = [P('instagram.square', 'instagram'), P('instagram.portrait', 'instagram', true), P('instagram.story', 'instagram'), P('bluesky.original', 'bluesky', true)];
const max = { bluesky: 4, instagram: 10, mastodon: 4, linkedin: 0 };

describe('moveItem', () => {
  it('moves up, down and clamps', () => {
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 9)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b'], 5, 0)).toEqual(['a', 'b']);
  });
});

describe('image limits', () => {
  it('uses the Mastodon instance limit when known', () => {
    expect(imageLimit({ id: 1, network: 'mastodon', limits: { maxMedia: 6 } }, max)).toBe(6);
    expect(imageLimit({ id: 1, network: 'mastodon', limits: { maxMedia: 0 } }, max)).toBe(4);
    expect(imageLimit({ id: 1, network: 'linkedin' }, max)).toBe(0);
    expect(imageLimit({ id: 1, network: 'youtube' }, max)).toBe(0);
  });
  it('reports each broken network once', () => {
    const accs = [
      { id: 1, network: 'bluesky' },
      { id: 2, network: 'bluesky' },
      { id: 3, network: 'instagram' },
      { id: 4, network: 'linkedin' },
    ];
    expect(imageBreaches(accs, 4, max)).toEqual([]);
    expect(imageBreaches(accs, 5, max)).toEqual([{ network: 'bluesky', count: 5, max: 4 }]);
    expect(imageBreaches(accs, 11, max)).toEqual([
      { network: 'bluesky', count: 11, max: 4 },
      { network: 'instagram', count: 11, max: 10 },
    ]);
  });
});

describe('presets', () => {
  it('lists the default first and picks the allowed choice', () => {
    expect(presetsFor(presets, 'instagram').map((p) => p.id)).toEqual(['instagram.portrait', 'instagram.square', 'instagram.story']);
    expect(presetOf(presets, 'instagram', { instagram: 'instagram.story' })?.id).toBe('instagram.story');
    expect(presetOf(presets, 'instagram', { instagram: 'x.landscape' })?.id).toBe('instagram.portrait');
    expect(presetOf(presets, 'instagram', undefined)?.id).toBe('instagram.portrait');
    expect(presetOf(presets, 'youtube', {})).toBeUndefined();
  });
  it('stores only choices other than the default', () => {
    expect(choosePreset({}, 'instagram', presets[0])).toEqual({ instagram: 'instagram.square' });
    expect(choosePreset({ instagram: 'instagram.square', bluesky: 'x' }, 'instagram', presets[1])).toEqual({ bluesky: 'x' });
  });
  it('keeps the networks that take images, once', () => {
    expect(imageNetworks([{ id: 1, network: 'bluesky' }, { id: 2, network: 'youtube' }, { id: 3, network: 'bluesky' }, { id: 4, network: 'instagram' }], presets)).toEqual([
      'bluesky',
      'instagram',
    ]);
  });
});

describe('previewTiles', () => {
  const img = (id: number, w: number, h: number, fx: number, chosen: Record<string, string> = {}): AttachedImage => ({
    postId: 1,
    mediaId: id,
    position: id,
    presets: chosen,
    media: {
      id, clientId: 1, name: `i${id}.jpg`, format: 'jpeg', bytes: 1, width: w, height: h, alt: `alt ${id}`, altMissing: false,
      focalX: fx, focalY: 0.5, uses: 1, createdAt: '', thumbUrl: `/thumb/${id}`, viewUrl: `/view/${id}`, originalUrl: '',
    },
  });
  const ps: PresetView[] = [
    { id: 'instagram.portrait', network: 'instagram', width: 1080, height: 1350, fill: true, maxBytes: 0, default: true },
    { id: 'instagram.square', network: 'instagram', width: 1080, height: 1080, fill: true, maxBytes: 0, default: false },
    { id: 'bluesky.original', network: 'bluesky', width: 0, height: 0, fill: false, maxBytes: 1000000, default: true },
  ];
  it('crops each image by the preset it gets on the network, around its focal point', () => {
    const [a, b] = previewTiles([img(1, 2000, 1000, 1), img(2, 2000, 1000, 0, { instagram: 'instagram.square' })], ps, 'instagram');
    expect(a.ratio).toBeCloseTo(1080 / 1350, 2);
    expect(a.position.startsWith('100%')).toBe(true); // focal point at the right edge
    expect(b.ratio).toBeCloseTo(1, 2);
    expect(b.position.startsWith('0%')).toBe(true);
    expect(a.src).toBe('/view/1');
    expect(a.alt).toBe('alt 1');
  });
  it('keeps the whole image where the network does not crop', () => {
    const [a] = previewTiles([img(1, 2000, 1000, 0.2)], ps, 'bluesky');
    expect(a.ratio).toBe(2);
    expect(a.size).toBe('100% 100%');
  });
});

describe('alt text limits', () => {
  const maxAlt = { mastodon: 1500, bluesky: 2000, x: 1000, pinterest: 500, instagram: 0 };
  const family = '👩‍👩‍👧'; // one grapheme, five code points
  it('uses the Mastodon instance limit when known', () => {
    expect(altLimit({ id: 1, network: 'mastodon', limits: { descriptionLimit: 420 } }, maxAlt)).toBe(420);
    expect(altLimit({ id: 1, network: 'mastodon', limits: { descriptionLimit: 0 } }, maxAlt)).toBe(1500);
    expect(altLimit({ id: 1, network: 'bluesky', limits: { descriptionLimit: 10 } }, maxAlt)).toBe(2000);
    expect(altLimit({ id: 1, network: 'youtube' }, maxAlt)).toBe(0);
  });
  it('counts graphemes on Bluesky and characters elsewhere, without surrounding spaces', () => {
    expect(altLength('bluesky', family.repeat(3))).toBe(3);
    expect(altLength('mastodon', family)).toBe(5);
    expect(altLength('x', '  ñandú \n')).toBe(5);
  });
  it('reports each image over a network once, live for a draft alt', () => {
    const accs = [
      { id: 1, network: 'bluesky' },
      { id: 2, network: 'x' },
      { id: 3, network: 'x' },
      { id: 4, network: 'mastodon', limits: { descriptionLimit: 420 } },
      { id: 5, network: 'instagram' },
    ];
    const ok = { mediaId: 1, name: 'ok.jpg', alt: family.repeat(1000) }; // 1000 graphemes, 5000 characters
    const long = { mediaId: 2, name: 'long.jpg', alt: 'a'.repeat(1001) };
    expect(altBreaches(accs.slice(0, 1), [ok], maxAlt)).toEqual([]);
    expect(altBreaches([accs[0], accs[4]], [ok, long], maxAlt)).toEqual([]);
    expect(altBreaches(accs, [ok, long], maxAlt)).toEqual([
      { mediaId: 1, name: 'ok.jpg', network: 'x', used: 5000, max: 1000 },
      { mediaId: 1, name: 'ok.jpg', network: 'mastodon', used: 5000, max: 420 },
      { mediaId: 2, name: 'long.jpg', network: 'x', used: 1001, max: 1000 },
      { mediaId: 2, name: 'long.jpg', network: 'mastodon', used: 1001, max: 420 },
    ]);
    expect(altBreaches([accs[1]], [{ ...long, alt: 'a'.repeat(1000) }], maxAlt)).toEqual([]);
  });
});

describe('mediaMissing', () => {
  const required = ['instagram', 'tiktok', 'pinterest', 'youtube'];
  const accs = [
    { id: 1, network: 'instagram' },
    { id: 2, network: 'instagram' },
    { id: 3, network: 'x' },
    { id: 4, network: 'youtube' },
  ];
  it('names each network that needs an image when the post has none', () => {
    expect(mediaMissing(accs, 0, required)).toEqual(['instagram', 'youtube']);
  });
  it('is satisfied by one image, and never blocks networks that take text', () => {
    expect(mediaMissing(accs, 1, required)).toEqual([]);
    expect(mediaMissing([{ id: 3, network: 'x' }], 0, required)).toEqual([]);
  });
});
