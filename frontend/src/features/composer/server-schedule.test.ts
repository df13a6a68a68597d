import { describe, expect, it } from 'vitest';
import type { Account } from '../../lib/api';
import { laptopOnlyAccounts, zonedInstant } from './server-schedule';

const acc = (id: number, network: string, serverSchedules: string, connection = 'connected'): Account =>
  ({ id, clientId: 1, network, handle: `@a${id}@x.test`, displayName: '', connection, serviceUrl: '', remoteId: '', serverSchedules, createdAt: '' }) as unknown as Account;

describe('zonedInstant', () => {
  it('reads a wall-clock time in the client’s zone', () => {
    expect(zonedInstant('2026-07-01', '12:00', 'Europe/Rome')).toBe(Date.UTC(2026, 6, 1, 10, 0)); // CEST
    expect(zonedInstant('2026-01-15', '12:00', 'Europe/Rome')).toBe(Date.UTC(2026, 0, 15, 11, 0)); // CET
    expect(zonedInstant('2026-01-15', '12:00', 'America/New_York')).toBe(Date.UTC(2026, 0, 15, 17, 0));
    expect(zonedInstant('2026-01-15', '12:00', 'Not/AZone')).toBe(Date.UTC(2026, 0, 15, 12, 0));
    expect(zonedInstant('', '12:00', 'UTC')).toBeNaN();
  });
});

describe('laptopOnlyAccounts', () => {
  const now = Date.UTC(2026, 6, 1, 9, 0); // 11:00 in Rome
  const list = [acc(1, 'mastodon', 'no'), acc(2, 'mastodon', 'yes'), acc(3, 'mastodon', ''), acc(4, 'bluesky', ''), acc(5, 'mastodon', 'no', 'reconnect')];

  it('names the connected Mastodon accounts whose server cannot hold a post due more than 5 minutes ahead', () => {
    expect(laptopOnlyAccounts(list, '2026-07-01', '12:00', 'Europe/Rome', now).map((a) => a.id)).toEqual([1]);
  });
  it('says nothing for a post due within 5 minutes (sent from here anyway), past, or without a time', () => {
    expect(laptopOnlyAccounts(list, '2026-07-01', '11:05', 'Europe/Rome', now)).toEqual([]);
    expect(laptopOnlyAccounts(list, '2026-07-01', '11:06', 'Europe/Rome', now).map((a) => a.id)).toEqual([1]);
    expect(laptopOnlyAccounts(list, '2026-07-01', '10:00', 'Europe/Rome', now)).toEqual([]);
    expect(laptopOnlyAccounts(list, '', '', 'Europe/Rome', now)).toEqual([]);
  });
});
