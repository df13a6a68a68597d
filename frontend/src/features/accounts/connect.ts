// Which form an account's network gets, and which input a Go error points at.
import type { Account } from '../../lib/api';

export type ConnectKind = 'mastodon' | 'bluesky' | 'manual';

export function connectKind(network: string): ConnectKind {
  return network === 'mastodon' || network === 'bluesky' ? network : 'manual';
}

/** The connect form's inputs. */
export type ConnectField = 'instanceUrl' | 'token' | 'identifier' | 'appPassword' | 'service';

/** Go's error field → the input to highlight; undefined = show it under the form. */
export function connectField(kind: ConnectKind, field: string | undefined): ConnectField | undefined {
  if (!field) return undefined;
  if (kind === 'mastodon') return field === 'instanceUrl' || field === 'token' ? field : undefined;
  if (kind === 'bluesky') {
    if (field === 'password' || field === 'appPassword') return 'appPassword';
    if (field === 'identifier' || field === 'service') return field;
  }
  return undefined;
}

/** Prefill for reconnecting: the instance or server, and the handle Bluesky knows. */
export function reconnectPrefill(a: Account): { instanceUrl: string; identifier: string; service: string } {
  const service = a.network === 'bluesky' && a.serviceUrl && !/^https:\/\/bsky\.social\/?$/.test(a.serviceUrl) ? a.serviceUrl : '';
  return {
    instanceUrl: a.network === 'mastodon' ? a.serviceUrl : '',
    identifier: a.network === 'bluesky' ? a.handle.replace(/^@/, '') : '',
    service,
  };
}

/** "https://mastodon.social/" → "mastodon.social" for display. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
