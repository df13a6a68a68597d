import { describe, expect, it } from 'vitest';
import { capDay, capLanes, groupByDay, layoutDay, snippet, toItems, type PostLike } from './items';

const clients = [
  { id: 1, name: 'Panadería Sol', color: '#e8833a' },
  { id: 2, name: 'Studio Brera', color: '#2f6fde' },
];

function post(id: number, clientId: number, local: string, extra: Partial<PostLike> = {}): PostLike {
  return { id, clientId, status: 'scheduled', text: `post ${id}`, local, variants: [], ...extra };
}

describe('toItems', () => {
  it('places each post at its own local wall clock and client colour', () => {
    const [a] = toItems([post(7, 2, '2026-03-29T09:05')], clients);
    expect(a).toMatchObject({ id: 7, day: '2026-03-29', time: '09:05', minutes: 545, color: '#2f6fde', clientName: 'Studio Brera' });
  });
  it('carries the "scheduled on the server" flag (absent = not)', () => {
    const [a, b] = toItems([post(1, 1, '2026-03-01T08:00', { serverScheduled: true }), post(2, 1, '2026-03-01T09:00')], clients);
    expect(a.serverScheduled).toBe(true);
    expect(b.serverScheduled).toBe(false);
  });
  it('drops ideas (no local time) and keeps distinct networks in order', () => {
    const items = toItems(
      [
        post(1, 1, ''),
        post(2, 1, '2026-03-01T08:00', {
          variants: [
            { accountId: 1, network: 'instagram' },
            { accountId: 2, network: 'facebook' },
            { accountId: 3, network: 'instagram' },
          ],
        }),
      ],
      clients,
    );
    expect(items.map((i) => i.id)).toEqual([2]);
    expect(items[0].networks).toEqual(['instagram', 'facebook']);
  });
  it('gives a post of an unknown client a neutral colour', () => {
    expect(toItems([post(1, 99, '2026-03-01T08:00')], clients)[0].color).toBe('#8a94a6');
  });
});

describe('groupByDay', () => {
  it('groups by local day (not UTC) and sorts each day by time', () => {
    // 00:30 Madrid on the 30th is still the 29th in UTC: it must land on the 30th.
    const items = toItems(
      [
        post(1, 1, '2026-03-30T18:00'),
        post(2, 2, '2026-03-29T23:59'),
        post(3, 1, '2026-03-30T00:30'),
        post(4, 2, '2026-03-30T09:00'),
      ],
      clients,
    );
    const g = groupByDay(items);
    expect([...g.keys()].sort()).toEqual(['2026-03-29', '2026-03-30']);
    expect(g.get('2026-03-30')!.map((i) => i.id)).toEqual([3, 4, 1]);
    expect(g.get('2026-03-29')!.map((i) => i.id)).toEqual([2]);
  });
  it('breaks ties by client name, then id', () => {
    const items = toItems([post(9, 2, '2026-03-02T10:00'), post(8, 1, '2026-03-02T10:00'), post(5, 1, '2026-03-02T10:00')], clients);
    expect(groupByDay(items).get('2026-03-02')!.map((i) => i.id)).toEqual([5, 8, 9]);
  });
});

describe('capDay', () => {
  it('shows everything up to the cap', () => {
    expect(capDay([1, 2, 3])).toEqual({ visible: [1, 2, 3], more: 0 });
  });
  it('keeps the first three and counts the rest', () => {
    expect(capDay([1, 2, 3, 4, 5])).toEqual({ visible: [1, 2, 3], more: 2 });
    expect(capDay([1, 2, 3, 4], 2)).toEqual({ visible: [1, 2], more: 2 });
  });
  it('handles an empty day', () => {
    expect(capDay([])).toEqual({ visible: [], more: 0 });
  });
});

describe('layoutDay', () => {
  it('puts overlapping posts side by side and separate ones full width', () => {
    const placed = layoutDay([{ minutes: 540 }, { minutes: 550 }, { minutes: 560 }, { minutes: 700 }], 45);
    expect(placed.map((p) => [p.lane, p.lanes])).toEqual([[0, 3], [1, 3], [2, 3], [0, 1]]);
  });
  it('reuses a lane once it is free inside a cluster', () => {
    const placed = layoutDay([{ minutes: 0 }, { minutes: 30 }, { minutes: 50 }], 45);
    expect(placed.map((p) => [p.lane, p.lanes])).toEqual([[0, 2], [1, 2], [0, 2]]);
  });
});

describe('snippet', () => {
  it('flattens whitespace and cuts at a word', () => {
    expect(snippet('Hola\n\nmundo')).toBe('Hola mundo');
    expect(snippet('uno dos tres cuatro cinco', 14)).toBe('uno dos tres…');
  });
});

describe('capLanes', () => {
  const at = (m: number, id: number) => ({ minutes: m, id });
  it('keeps up to max lanes side by side and folds the rest into one "+N"', () => {
    const placed = layoutDay([at(540, 1), at(540, 2), at(540, 3), at(540, 4), at(600, 5)], 45);
    const { shown, more } = capLanes(placed, 2);
    expect(shown.map((p) => [p.item.id, p.lane, p.lanes])).toEqual([
      [1, 0, 2],
      [5, 0, 1],
    ]);
    expect(more).toHaveLength(1);
    expect(more[0].items.map((i) => i.id)).toEqual([2, 3, 4]);
    expect([more[0].minutes, more[0].lane, more[0].lanes]).toEqual([540, 1, 2]);
  });
  it('with room for one lane, the first post keeps the width and "+N" sits on it', () => {
    const { shown, more } = capLanes(layoutDay([at(540, 1), at(545, 2), at(550, 3)], 45), 1);
    expect(shown.map((p) => [p.item.id, p.lane, p.lanes, p.crowded])).toEqual([[1, 0, 1, true]]);
    expect(more.map((m) => [m.items.length, m.lane])).toEqual([[2, -1]]);
  });
  it('leaves clusters that fit alone', () => {
    const placed = layoutDay([at(540, 1), at(540, 2), at(900, 3)], 45);
    expect(capLanes(placed, 3).more).toEqual([]);
    expect(capLanes(placed, 3).shown).toHaveLength(3);
  });
});
