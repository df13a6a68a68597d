import { describe, expect, it } from 'vitest';
import { agendaDays, agendaOrder } from './agenda';
import { groupByDay, toItems } from './items';

const clients = [{ id: 1, name: 'A', color: '#000' }];
const post = (id: number, local: string) => ({ id, clientId: 1, status: 'draft', text: '', local, variants: [] });

describe('agenda', () => {
  const byDay = groupByDay(
    toItems(
      [post(1, '2026-03-30T18:00'), post(2, '2026-03-28T09:00'), post(3, '2026-03-30T08:15'), post(4, '2026-05-01T10:00'), post(5, '2026-03-27T23:59')],
      clients,
    ),
  );

  it('lists only days with posts inside the range, ascending, posts by time', () => {
    const days = agendaDays(byDay, '2026-03-28', '2026-04-26');
    expect(days.map((d) => d.day)).toEqual(['2026-03-28', '2026-03-30']);
    expect(days[1].items.map((i) => i.id)).toEqual([3, 1]);
    expect(agendaOrder(days)).toEqual([2, 3, 1]);
  });

  it('is empty for a range without posts', () => {
    expect(agendaDays(byDay, '2026-06-01', '2026-06-30')).toEqual([]);
  });
});
