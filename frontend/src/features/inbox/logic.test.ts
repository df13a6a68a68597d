import { describe, expect, it } from 'vitest';
import { defaultSnooze, inZone, move, plural, rows, startText, toQuery, unreadTotal, withSaved, words } from './logic';
import type { InboxItem, InboxSummary } from '../../lib/api';

const item = (id: number, at: string, alert: string[] = []) =>
  ({ id, notification: { createdAt: at, kind: 'mention' }, alert }) as unknown as InboxItem;
const summary = (at: string) => ({ accountId: 1, kind: 'like', aboutId: 'p', day: at.slice(0, 10), newest: at }) as unknown as InboxSummary;

describe('inbox logic', () => {
  it('puts alerts first, then the newest, summaries among items', () => {
    const r = rows([item(1, '2026-11-01T10:00:00Z'), item(2, '2026-11-02T10:00:00Z'), item(3, '2026-10-01T10:00:00Z', ['estafa'])], [summary('2026-11-01T12:00:00Z')]);
    expect(r.map((x) => x.key)).toEqual(['i3', 'i2', 's1-like-p-2026-11-01', 'i1']);
  });
  it('builds the query from the filters', () => {
    expect(toQuery({ clientId: 3, network: 'mastodon', kind: 'reply', state: 'open' })).toMatchObject({ clientId: 3, network: 'mastodon', kinds: ['reply'], states: ['new'], limit: 100 });
    expect(toQuery({ clientId: 0, network: '', kind: '', state: 'all' })).toMatchObject({ kinds: [], states: [] });
    expect(toQuery({ clientId: 0, network: '', kind: '', state: 'done' }).states).toEqual(['done']);
  });
  it('moves with J and K inside the list', () => {
    expect(move(-1, 1, 3)).toBe(0);
    expect(move(-1, -1, 3)).toBe(2);
    expect(move(2, 1, 3)).toBe(2);
    expect(move(0, -1, 3)).toBe(0);
    expect(move(0, 1, 0)).toBe(-1);
  });
  it('chooses plural forms per locale', () => {
    expect(plural(1, 'en-GB')).toBe('One');
    expect(plural(2, 'es-ES')).toBe('Other');
    expect(plural(0, 'it-IT')).toBe('Other');
  });
  it('shows times in the client zone', () => {
    expect(inZone('2026-11-24T09:30:00Z', 'Europe/Madrid', 'en-GB')).toContain('10:30');
    expect(inZone('2026-11-24T09:30:00Z', 'America/New_York', 'en-GB')).toContain('04:30');
    expect(inZone('', 'Europe/Madrid', 'en-GB')).toBe('');
    expect(inZone('2026-11-24T09:30:00Z', 'Not/A_Zone', 'en-GB')).toMatch(/\d\d:30/);
  });
  it('prefills the mention once', () => {
    expect(startText('@ana@x.example ', '')).toBe('@ana@x.example ');
    expect(startText('@ana@x.example ', '@ana@x.example hola')).toBe('@ana@x.example hola');
    expect(startText('', 'hola')).toBe('hola');
    expect(withSaved('@ana ', ' Gracias Ana ')).toBe('@ana Gracias Ana');
  });
  it('cleans word lists, counts unread, proposes a snooze', () => {
    expect(words(' estafa, Estafa ,, truffa')).toEqual(['estafa', 'truffa']);
    expect(unreadTotal({ 1: 2, 4: 3 })).toBe(5);
    expect(unreadTotal({ 1: 2, 4: 3 }, 4)).toBe(3);
    expect(defaultSnooze(new Date(2026, 10, 24, 15, 0))).toBe('2026-11-25T09:00');
  });
});
