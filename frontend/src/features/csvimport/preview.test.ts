import { describe, expect, it } from 'vitest';
import { csvPath, defaultOrder, monthOf, issueKey, issueText, localText, shortText } from './preview';
import { en } from '../../lib/i18n/catalog/en';
import { es } from '../../lib/i18n/catalog/es';
import { it as itCat } from '../../lib/i18n/catalog/it';
import { lookup, interpolate } from '../../lib/i18n/core';
import type { Catalog } from '../../lib/i18n/catalog/types';

const tr = (c: Catalog) => (key: string, params: Record<string, string>) => interpolate(lookup(c, key) ?? key, params);
const has = (c: Catalog) => (key: string) => lookup(c, key) !== undefined;

describe('csv import preview helpers', () => {
  it('defaults the date order from the UI language', () => {
    expect(defaultOrder('es')).toBe('day-first');
    expect(defaultOrder('it')).toBe('day-first');
    expect(defaultOrder('en')).toBe('month-first');
  });

  it('takes the first CSV of a drop', () => {
    expect(csvPath(['/a/photo.jpg', '/a/Plan.CSV', '/a/b.csv'])).toBe('/a/Plan.CSV');
    expect(csvPath(['/a/photo.jpg'])).toBe('');
  });

  it('translates row issues with their column in every language', () => {
    const issue = { column: 'Cuenta', key: 'csv.account_no_network', params: { network: 'tiktok', account: 'tiktok' }, message: 'the client has no tiktok account' };
    expect(issueText(issue, tr(en), has(en))).toBe('Cuenta: The client has no tiktok account.');
    expect(issueText(issue, tr(es), has(es))).toBe('Cuenta: El cliente no tiene cuenta de tiktok.');
    expect(issueText(issue, tr(itCat), has(itCat))).toBe('Cuenta: Il cliente non ha un account tiktok.');
    const brand = { column: 'text', key: 'guidelines.missing', params: { tag: '#cafe' }, message: '' };
    expect(issueText(brand, tr(es), has(es))).toBe('text: Al texto le falta #cafe, que las pautas del cliente piden.');
    const unknown = { column: '', key: 'csv.brand_new_key', params: {}, message: 'raw English' };
    expect(issueText(unknown, tr(en), has(en))).toBe('raw English');
    expect(issueKey('media.corrupt')).toBe('err.media.corrupt');
  });

  it('has a message for every key the Go side sends', () => {
    // Keys from backend/csvimport and app/imports.go (grep Errorf|issue( "csv.…").
    const keys = ['too_big', 'is_xlsx', 'is_ods', 'is_xls', 'binary', 'encoding', 'empty', 'malformed', 'too_many_rows', 'column_twice',
      'column_missing', 'column_unknown', 'read_as_1252', 'date_invalid', 'date_short_year', 'date_ambiguous', 'time_invalid', 'status_invalid',
      'account_ambiguous', 'account_no_network', 'account_unknown', 'account_required', 'text_required', 'idea_date_ignored', 'date_required',
      'time_required', 'timezone_invalid', 'time_shifted', 'variant_unused', 'alt_extra', 'media_url', 'media_relative', 'media_missing',
      'media_not_file', 'duplicate', 'past_as_draft', 'future_published', 'over_limit', 'too_many_hashtags', 'too_many_images',
      'alt_over_limit', 'over_limit_as_draft', 'path_relative', 'file_missing', 'file_unreadable', 'not_a_file', 'order_invalid',
      'changed', 'rows_rejected', 'write_failed'];
    for (const c of [en, es, itCat]) for (const k of keys) expect(lookup(c, `err.csv.${k}`), k).toBeTruthy();
  });

  it('picks the month of a day for the export', () => {
    expect(monthOf('2026-02-14')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthOf('2028-02-03')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthOf('2026-12-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('formats times and texts for the table', () => {
    expect(localText('2026-03-25T09:30')).toBe('2026-03-25 09:30');
    expect(shortText('Hola ☕\ncon salto')).toBe('Hola ☕…');
    expect(shortText('x'.repeat(90), 80)).toBe('x'.repeat(80) + '…');
  });
});
