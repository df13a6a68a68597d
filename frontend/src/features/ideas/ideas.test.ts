import { describe, expect, it } from 'vitest';
import { toIdeas } from './ideas';

describe('toIdeas', () => {
  it('keeps posts without a date, with their client and distinct networks', () => {
    const out = toIdeas(
      [
        { id: 1, clientId: 2, status: 'idea', text: 'Receta', local: '', labels: ['otoño'], variants: [{ accountId: 1, network: 'instagram' }, { accountId: 2, network: 'instagram' }] },
        { id: 2, clientId: 2, status: 'draft', text: 'dated', local: '2026-03-01T09:00', variants: [] },
        { id: 3, clientId: 9, status: 'idea', text: '', local: '', variants: [] },
      ],
      [{ id: 2, name: 'Sol', color: '#f00' }],
    );
    expect(out).toEqual([
      { id: 1, clientId: 2, clientName: 'Sol', color: '#f00', text: 'Receta', labels: ['otoño'], networks: ['instagram'] },
      { id: 3, clientId: 9, clientName: '', color: '#8a94a6', text: '', labels: [], networks: [] },
    ]);
  });
});
