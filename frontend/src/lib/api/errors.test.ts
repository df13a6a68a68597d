import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage, toApiError } from './errors';
import { lookup, translate } from '../i18n/core';
import { catalogs } from '../i18n/catalogs';

const tr = (key: string, params?: Record<string, string | number>) => translate('en', key, params);
const trEs = (key: string, params?: Record<string, string | number>) => translate('es', key, params);
const has = (key: string) => lookup(catalogs.en, key) !== undefined;

describe('toApiError', () => {
  it('keeps code, key, field and params of a rejected Go error object', () => {
    const e = toApiError({
      code: 'conflict',
      key: 'client.name_taken',
      message: 'a client called "Sol" already exists',
      field: 'name',
      params: { name: 'Sol' },
    });
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('conflict');
    expect(e.key).toBe('client.name_taken');
    expect(e.field).toBe('name');
    expect(e.params).toEqual({ name: 'Sol' });
    expect(e.message).toBe('a client called "Sol" already exists');
  });

  it('parses the object when it arrives as a JSON string', () => {
    const e = toApiError(JSON.stringify({ code: 'invalid', key: 'post.time_required', message: 'pick', field: 'date' }));
    expect(e.key).toBe('post.time_required');
    expect(e.field).toBe('date');
  });

  it('turns a plain string or a JS Error into an internal error', () => {
    expect(toApiError('boom').code).toBe('internal');
    expect(toApiError('boom').message).toBe('boom');
    const e = toApiError(new TypeError("Cannot read properties of undefined (reading 'app')"));
    expect(e.code).toBe('internal');
    expect(e.key).toBe('internal');
  });

  it('maps an unknown code to internal and a missing key to the code', () => {
    expect(toApiError({ code: 'teapot', message: 'x' }).code).toBe('internal');
    expect(toApiError({ code: 'not_found', message: 'x' }).key).toBe('not_found');
  });

  it('returns an ApiError unchanged', () => {
    const e = new ApiError({ code: 'invalid', key: 'k' });
    expect(toApiError(e)).toBe(e);
  });
});

describe('errorMessage', () => {
  it('translates by key with params', () => {
    const e = toApiError({ code: 'conflict', key: 'client.name_taken', message: 'raw', params: { name: 'Sol' } });
    expect(errorMessage(e, tr, has)).toBe('There is already a client called “Sol”.');
    expect(errorMessage(e, trEs, has)).toBe('Ya hay un cliente llamado «Sol».');
  });

  it('shows network ids by their names', () => {
    const e = toApiError({
      code: 'conflict',
      key: 'account.duplicate',
      message: 'raw',
      params: { handle: '@sol', network: 'google_business' },
    });
    expect(errorMessage(e, tr, has)).toBe('This client already has @sol on Google Business Profile.');
  });

  it('falls back to the code message for an unknown key, never the raw message', () => {
    const e = toApiError({ code: 'unavailable', key: 'future.feature_broke', message: 'dbus: no such interface' });
    const msg = errorMessage(e, tr, has);
    expect(msg).toBe(tr('err.code.unavailable'));
    expect(msg).not.toContain('dbus');
  });

  it('uses the generic message for a JS failure', () => {
    expect(errorMessage(toApiError(new Error('x is undefined')), tr, has)).toBe('Something went wrong. Please try again.');
  });
});
