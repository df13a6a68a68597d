// Which selected accounts cannot have a post held by their server (issue
// 12): a Mastodon-compatible server without scheduled statuses (GoToSocial
// before 0.20) publishes nothing by itself, so Pauta must be open at the
// post's time. Posts due within Mastodon's 5-minute minimum go out from this
// computer anyway, so the note is only for posts further ahead.
import type { Account } from '../../lib/api';
import { now as clockNow } from '../../lib/clock';

/** Mastodon's minimum lead for a server-side schedule. */
export const MIN_SERVER_AHEAD_MS = 5 * 60 * 1000;

/** The zone's offset from UTC at instant t (ms); 0 for a zone the engine does not know. */
function offsetAt(t: number, zone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(t));
  } catch {
    return 0;
  }
  const p: Record<string, number> = {};
  for (const x of parts) p[x.type] = Number(x.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/** The instant of a wall-clock "YYYY-MM-DD" and "HH:MM" in an IANA zone (ms since the epoch), NaN when incomplete. */
export function zonedInstant(date: string, time: string, zone: string): number {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const h = /^(\d{2}):(\d{2})/.exec(time);
  if (!d || !h) return NaN;
  const wall = Date.UTC(+d[1], +d[2] - 1, +d[3], +h[1], +h[2]);
  let t = wall - offsetAt(wall, zone);
  t = wall - offsetAt(t, zone); // a second step settles it next to a DST change
  return t;
}

/** The selected accounts whose server cannot hold a post due at that time: Pauta must be open then. */
export function laptopOnlyAccounts(accounts: readonly Account[], date: string, time: string, zone: string, now = clockNow()): Account[] {
  const at = zonedInstant(date, time, zone);
  if (!(at - now > MIN_SERVER_AHEAD_MS)) return [];
  return accounts.filter((a) => a.network === 'mastodon' && a.connection === 'connected' && a.serverSchedules === 'no');
}
