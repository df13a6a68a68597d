import { describe, expect, it } from 'vitest';
import { AWAITING_APPROVAL, activeCount, applyFilters, gatherLabels, isFiltering, matches, NO_FILTERS, parseFilters, withSelected, type Filterable } from './filters';

const p = (status: string, networks: string[], labels: string[] = []): Filterable => ({
  status,
  labels,
  variants: networks.map((network) => ({ network })),
});

describe('filters', () => {
  const posts = [
    p('draft', ['instagram', 'facebook'], ['producto']),
    p('scheduled', ['x'], ['Otoño']),
    p('published', ['instagram'], []),
    p('needs_review', ['mastodon', 'bluesky'], ['otoño', 'evento']),
  ];

  it('passes everything, as the same array, when nothing is set', () => {
    expect(isFiltering(NO_FILTERS)).toBe(false);
    expect(applyFilters(posts, NO_FILTERS)).toBe(posts);
  });

  it('filters by network (any variant), label (ignoring case) and status, all together', () => {
    expect(applyFilters(posts, { ...NO_FILTERS, network: 'instagram' })).toEqual([posts[0], posts[2]]);
    expect(applyFilters(posts, { ...NO_FILTERS, label: 'otoño' })).toEqual([posts[1], posts[3]]);
    expect(applyFilters(posts, { ...NO_FILTERS, status: 'needs_review' })).toEqual([posts[3]]);
    expect(applyFilters(posts, { network: 'instagram', label: '', status: 'published' })).toEqual([posts[2]]);
    expect(applyFilters(posts, { network: 'x', label: 'producto', status: '' })).toEqual([]);
  });

  it('treats a post without labels as not matching a label filter', () => {
    expect(matches({ status: 'draft', labels: null, variants: [] }, { ...NO_FILTERS, label: 'a' })).toBe(false);
  });

  it('counts the active filters', () => {
    expect(activeCount({ network: 'x', label: '', status: 'draft' })).toBe(2);
  });

  it('gathers labels by frequency, case-folded, keeping the selected one offered', () => {
    expect(gatherLabels(posts)).toEqual(['Otoño', 'evento', 'producto']);
    expect(gatherLabels(posts, 'verano')).toEqual(['Otoño', 'evento', 'producto', 'verano']);
    expect(gatherLabels(posts, 'OTOÑO')).toEqual(['Otoño', 'evento', 'producto']);
    expect(withSelected(['a'], '')).toEqual(['a']);
  });

  it('parses stored filters, dropping unknown statuses', () => {
    expect(parseFilters({ network: 'x', status: 'bogus', label: 3 })).toEqual({ network: 'x', label: '', status: '' });
    expect(parseFilters(null)).toEqual(NO_FILTERS);
    expect(parseFilters({ status: 'failed' }).status).toBe('failed');
  });

  it('filters the posts waiting for the client’s approval (issue 19)', () => {
    const f = { ...NO_FILTERS, status: AWAITING_APPROVAL };
    expect(matches({ status: 'scheduled', variants: [], approval: { waiting: true } }, f)).toBe(true);
    expect(matches({ status: 'scheduled', variants: [], approval: { waiting: false } }, f)).toBe(false);
    expect(matches({ status: 'scheduled', variants: [] }, f)).toBe(false);
    expect(parseFilters({ status: AWAITING_APPROVAL }).status).toBe(AWAITING_APPROVAL);
  });
});
