// The calendar holds posts in the lean shape of PostService.Calendar (what a
// chip shows). A move answers with a full post, and an idea dragged into the
// grid is one: this turns either into the calendar's shape.
import type { CalendarPost, PostView } from '../api';
import { snippet } from './items';

/** A full post as the calendar holds it; mediaId is kept from the post it replaces (a move never changes images). */
export function leanPost(p: PostView, mediaId = 0): CalendarPost {
  return {
    id: p.id,
    clientId: p.clientId,
    status: p.status,
    snippet: snippet(p.text),
    scheduledAt: p.scheduledAt,
    timeZone: p.timeZone,
    local: p.local,
    labels: p.labels ?? [],
    variants: (p.variants ?? []).map((v) => ({ accountId: v.accountId, network: v.network })),
    mediaId,
    serverScheduled: p.serverScheduled,
    approval: { status: p.approval?.status ?? 'none', changed: !!p.approval?.changed, required: !!p.approval?.required, waiting: !!p.approval?.waiting },
  };
}
