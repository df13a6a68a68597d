import { describe, expect, it, vi } from 'vitest';
import { attentionCount, debounce, excerpt, formatWhen, byPost, filterItems, groupItems, handPosts, isValidPostUrl, localParts, splitLocal, visibleDue, waitingPosts } from './logic';

const row = (variantId: number, state: string, due: string, extra: Record<string, unknown> = {}) => ({
  variantId,
  postId: variantId * 10,
  state,
  due,
  waiting: '',
  ...extra,
});

describe('groupItems', () => {
  it('orders groups by urgency and rows by due time, dropping empty groups', () => {
    const g = groupItems([
      row(1, 'pending', '2026-11-24T12:00:00Z'),
      row(2, 'failed', '2026-11-24T09:00:00Z'),
      row(3, 'pending', '2026-11-24T10:00:00Z'),
      row(4, 'due_manual', '2026-11-24T11:00:00Z'),
      row(5, 'missed', '2026-11-23T11:00:00Z'),
      row(6, 'needs_review', '2026-11-23T11:00:00Z'),
    ]);
    expect(g.map((x) => x.state)).toEqual(['due_manual', 'failed', 'needs_review', 'missed', 'pending']);
    expect(g.find((x) => x.state === 'pending')!.items.map((r) => r.variantId)).toEqual([3, 1]);
  });
  it('shows the newest published first and a variant once', () => {
    const g = groupItems([
      row(1, 'published', '2026-11-24T08:00:00Z', { publishedAt: '2026-11-24T08:00:00Z' }),
      row(2, 'published', '2026-11-24T07:00:00Z', { publishedAt: '2026-11-24T09:30:00Z' }),
      row(1, 'published', '2026-11-24T08:00:00Z', { publishedAt: '2026-11-24T08:00:00Z' }),
    ]);
    expect(g).toHaveLength(1);
    expect(g[0].items.map((r) => r.variantId)).toEqual([2, 1]);
  });
  it('puts a published post whose first comment failed or is unsure where the user acts', () => {
    const g = groupItems([
      row(1, 'published', '2026-11-24T08:00:00Z', { commentState: 'failed' }),
      row(2, 'published', '2026-11-24T08:00:00Z', { commentState: 'needs_review' }),
      row(3, 'published', '2026-11-24T08:00:00Z', { commentState: 'pending' }),
    ]);
    expect(g.map((x) => [x.state, x.items.map((r) => r.variantId)])).toEqual([
      ['failed', [1]],
      ['needs_review', [2]],
      ['published', [3]],
    ]);
    expect(attentionCount([row(1, 'published', '', { commentState: 'failed' }), row(2, 'published', '', { commentState: 'published' })])).toBe(1);
  });
  it('ignores states outside the view (skipped)', () => {
    expect(groupItems([row(1, 'skipped', '2026-11-24T08:00:00Z')])).toEqual([]);
  });
});

describe('attention and waiting', () => {
  it('counts what waits for the user', () => {
    const items = ['pending', 'failed', 'needs_review', 'missed', 'due_manual', 'sending', 'published'].map((s, i) => row(i, s, ''));
    expect(attentionCount(items)).toBe(4);
    expect(attentionCount([])).toBe(0);
  });
  it('marks posts waiting for the connection', () => {
    const s = waitingPosts([
      row(1, 'pending', '', { waiting: 'offline' }),
      row(2, 'pending', '', { waiting: 'backoff' }),
      row(3, 'failed', '', { waiting: 'offline' }),
    ]);
    expect([...s]).toEqual([10]);
  });
  it('hides dismissed due-now ids', () => {
    expect(visibleDue([1, 2, 3], new Set([2]))).toEqual([1, 3]);
  });
});

describe('isValidPostUrl', () => {
  it.each([
    ['', true],
    ['   ', true],
    ['https://www.instagram.com/p/abc/', true],
    [' http://x.com/sol/status/1 ', true],
    ['instagram.com/p/abc', false],
    ['ftp://x.com/a', false],
    ['javascript:alert(1)', false],
    ['https://', false],
    ['https://x.com/a b', false],
  ])('%j → %s', (s, ok) => expect(isValidPostUrl(s)).toBe(ok));
});

describe('times in the client zone', () => {
  it('splits an instant into the zone’s date and time, across DST and date lines', () => {
    expect(localParts('2026-11-24T23:30:00Z', 'Europe/Madrid')).toEqual({ date: '2026-11-25', time: '00:30' });
    expect(localParts('2026-07-01T10:00:00Z', 'Europe/Rome')).toEqual({ date: '2026-07-01', time: '12:00' });
    expect(localParts('2026-11-24T10:05:00Z', 'America/Mexico_City')).toEqual({ date: '2026-11-24', time: '04:05' });
  });
  it('formats a due time in the zone and locale', () => {
    const s = formatWhen('2026-11-24T10:00:00Z', 'Europe/Madrid', 'en-GB');
    expect(s).toContain('11:00');
    expect(s).toContain('24');
    expect(formatWhen('2026-11-24T10:00:00Z', 'Asia/Tokyo', 'es-ES')).toContain('19:00');
    expect(formatWhen('', 'Europe/Madrid', 'en-GB')).toBe('');
  });
  it('splits the backend’s local time', () => {
    expect(splitLocal('2026-11-26T09:30')).toEqual({ date: '2026-11-26', time: '09:30' });
  });
});

describe('excerpt and debounce', () => {
  it('keeps one line and cuts long texts on characters', () => {
    expect(excerpt('Hola\n\nmundo  ')).toBe('Hola mundo');
    expect(excerpt('ñandú '.repeat(10), 10)).toBe('ñandú ñan…');
  });
  it('runs once after a burst', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = debounce(fn, 200);
    d();
    d();
    vi.advanceTimersByTime(150);
    d();
    vi.advanceTimersByTime(199);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    d();
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });
});

describe('handPosts', () => {
  const now = Date.parse('2026-12-06T10:00:00Z');
  const hrow = (postId: number, state: string, due: string) => ({ variantId: postId * 10, postId, state, due, waiting: '' });
  it('says due from the time, overdue once past the grace period', () => {
    const m = handPosts(
      [hrow(1, 'due_manual', '2026-12-06T09:50:00Z'), hrow(2, 'due_manual', '2026-12-06T09:40:00Z'), hrow(3, 'pending', '2026-12-06T09:00:00Z')],
      now,
      15,
    );
    expect(m.get(1)).toBe('due');
    expect(m.get(2)).toBe('overdue');
    expect(m.has(3)).toBe(false);
  });
  it('a post with one late network is overdue', () => {
    const m = handPosts([hrow(1, 'due_manual', '2026-12-06T09:55:00Z'), { ...hrow(1, 'due_manual', '2026-12-06T08:00:00Z'), variantId: 11 }], now, 15);
    expect(m.get(1)).toBe('overdue');
  });
});

describe('filterItems and byPost', () => {
  const it1 = { variantId: 1, postId: 7, state: 'pending', due: '2026-12-06T10:00:00Z', waiting: '', clientId: 1, clientName: 'Panadería Sol', network: 'mastodon', handle: '@sol@social.example', text: 'Pan de maíz recién hecho' };
  const it2 = { ...it1, variantId: 2, network: 'bluesky', handle: '@sol.bsky.social' };
  const it3 = { ...it1, variantId: 3, postId: 8, clientId: 2, clientName: 'Studio Brera', network: 'facebook', state: 'due_manual', handle: 'brera', text: 'Nuova collezione' };
  const none = { clientId: 0, network: '', state: '', search: '' };
  it('filters by client, network, state and words (any case and accent)', () => {
    expect(filterItems([it1, it2, it3], none)).toHaveLength(3);
    expect(filterItems([it1, it2, it3], { ...none, clientId: 2 }).map((i) => i.variantId)).toEqual([3]);
    expect(filterItems([it1, it2, it3], { ...none, network: 'bluesky' }).map((i) => i.variantId)).toEqual([2]);
    expect(filterItems([it1, it2, it3], { ...none, state: 'due_manual' }).map((i) => i.variantId)).toEqual([3]);
    expect(filterItems([it1, it2, it3], { ...none, search: 'MAIZ sol' }).map((i) => i.variantId)).toEqual([1, 2]);
    expect(filterItems([it1, it2, it3], { ...none, search: 'bsky' }).map((i) => i.variantId)).toEqual([2]);
  });
  it('puts a post\'s networks together', () => {
    expect(byPost([it1, it3, it2]).map((p) => [p.postId, p.items.map((i) => i.variantId)])).toEqual([
      [7, [1, 2]],
      [8, [3]],
    ]);
  });
});
