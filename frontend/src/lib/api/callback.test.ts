import { describe, expect, it } from 'vitest';
import { keepErrorObjects } from './callback';
import { toApiError } from './errors';

// What Wails 2.16's runtime does with the callback message (calls.js).
function wailsCallback(settle: { value?: unknown; error?: unknown }) {
  return (incoming: string) => {
    const message = JSON.parse(incoming);
    if (message.error) settle.error = message.error instanceof Error ? message.error : new Error(message.error);
    else settle.value = message.result;
  };
}

describe('keepErrorObjects', () => {
  const goError = { code: 'invalid', key: 'post.account_required', message: 'pick an account', field: 'accounts' };

  it('without it the runtime loses the error object', () => {
    const settle: { error?: unknown } = {};
    wailsCallback(settle)(JSON.stringify({ callbackid: 'x', error: goError }));
    expect(toApiError(settle.error).key).toBe('internal');
  });

  it('with it the rejected Error carries the whole object', () => {
    const settle: { error?: unknown } = {};
    keepErrorObjects(wailsCallback(settle))(JSON.stringify({ callbackid: 'x', error: goError }));
    const e = toApiError(settle.error);
    expect(e.code).toBe('invalid');
    expect(e.key).toBe('post.account_required');
    expect(e.field).toBe('accounts');
    expect(e.message).toBe('pick an account');
  });

  it('leaves results and string errors alone', () => {
    const settle: { value?: unknown; error?: unknown } = {};
    const cb = keepErrorObjects(wailsCallback(settle));
    cb(JSON.stringify({ callbackid: 'x', result: { id: 3 } }));
    expect(settle.value).toEqual({ id: 3 });
    cb(JSON.stringify({ callbackid: 'y', error: 'plain text' }));
    expect(toApiError(settle.error)).toMatchObject({ code: 'internal', message: 'plain text' });
  });

  it('parses only answers whose error is an object (the runtime parses every one)', () => {
    const settle: { value?: unknown; error?: unknown } = {};
    const cb = keepErrorObjects(wailsCallback(settle));
    // As Go writes it: result, error, callbackid; the result has error keys of its own.
    const result = { syncs: [{ accountId: 1, error: { nested: true } }, { accountId: 2, error: 'token revoked' }] };
    const ok = `{"result":${JSON.stringify(result)},"error":null,"callbackid":"InboxService.List-1"}`;
    let parses = 0;
    const parse = JSON.parse;
    JSON.parse = ((s: string) => (parses++, parse(s))) as typeof JSON.parse;
    try {
      cb(ok);
    } finally {
      JSON.parse = parse;
    }
    expect(parses).toBe(1); // the runtime's own
    expect(settle.value).toEqual(result);
    cb(`{"result":${JSON.stringify(result)},"error":${JSON.stringify(goError)},"callbackid":"PostService.Save-2"}`);
    expect(toApiError(settle.error).key).toBe('post.account_required');
  });

  it('passes unparsable messages through unchanged', () => {
    let seen = '';
    keepErrorObjects((s) => (seen = s))('not json');
    expect(seen).toBe('not json');
  });
});
