import { describe, expect, it } from 'vitest';
import type { Account } from '../../lib/api';
import { connectField, connectKind, hostOf, reconnectPrefill } from './connect';

const account = (over: Partial<Account>): Account => ({
  id: 1, clientId: 1, network: 'mastodon', handle: '@ana@masto.test', displayName: 'Ana', connection: 'connected',
  serviceUrl: 'https://masto.test', remoteId: '1', createdAt: '', serverSchedules: '',
  limits: { maxCharacters: 500, urlCharacters: 23, maxMedia: 4, imageSizeLimit: 0, imageMatrixLimit: 0, descriptionLimit: 0 },
  ...over,
});

describe('connect helpers', () => {
  it('only Mastodon and Bluesky connect', () => {
    expect(connectKind('mastodon')).toBe('mastodon');
    expect(connectKind('bluesky')).toBe('bluesky');
    expect(connectKind('instagram')).toBe('manual');
  });
  it('map Go error fields to the form inputs', () => {
    expect(connectField('mastodon', 'token')).toBe('token');
    expect(connectField('mastodon', 'instanceUrl')).toBe('instanceUrl');
    expect(connectField('bluesky', 'password')).toBe('appPassword');
    expect(connectField('bluesky', 'appPassword')).toBe('appPassword');
    expect(connectField('bluesky', 'service')).toBe('service');
    expect(connectField('bluesky', 'token')).toBeUndefined();
    expect(connectField('mastodon', undefined)).toBeUndefined();
  });
  it('prefill a reconnect form', () => {
    expect(reconnectPrefill(account({}))).toEqual({ instanceUrl: 'https://masto.test', identifier: '', service: '' });
    expect(reconnectPrefill(account({ network: 'bluesky', handle: '@ana.bsky.social', serviceUrl: 'https://bsky.social' }))).toEqual({
      instanceUrl: '', identifier: 'ana.bsky.social', service: '',
    });
    expect(reconnectPrefill(account({ network: 'bluesky', handle: '@ana.test', serviceUrl: 'https://pds.test' })).service).toBe('https://pds.test');
  });
  it('show hosts', () => {
    expect(hostOf('https://mastodon.social/')).toBe('mastodon.social');
    expect(hostOf('http://127.0.0.1:8080')).toBe('127.0.0.1:8080');
    expect(hostOf('nonsense')).toBe('nonsense');
  });
});
