// Ideas: posts with no date, shown beside the calendar.
import type { ClientLike, PostLike } from '../../lib/calendar/items';

export interface IdeaItem {
  id: number;
  clientId: number;
  clientName: string;
  color: string;
  text: string;
  labels: string[];
  networks: string[];
}

/** Maps idea posts (newest first as the backend sends them) to side-list items. */
export function toIdeas(posts: readonly PostLike[], clients: readonly ClientLike[]): IdeaItem[] {
  const byId = new Map(clients.map((c) => [c.id, c]));
  return posts
    .filter((p) => !p.local)
    .map((p) => {
      const c = byId.get(p.clientId);
      return {
        id: p.id,
        clientId: p.clientId,
        clientName: c?.name ?? '',
        color: c?.color ?? '#8a94a6',
        text: p.text ?? p.snippet ?? '',
        labels: p.labels ?? [],
        networks: [...new Set(p.variants.map((v) => v.network).filter(Boolean))],
      };
    });
}
