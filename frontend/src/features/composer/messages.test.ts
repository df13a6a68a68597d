import { describe, expect, it } from 'vitest';
import type { Account } from '../../lib/api';
import { level, measureCapped } from '../../lib/limits';
import { autosaveMessage, blockersFor, formField, limitReason } from './messages';
import type { CountRow } from './VariantEditor.svelte';

const acc = (id: number, network: string, handle: string) => ({ id, network, handle }) as unknown as Account;

function row(a: Account, text: string, comment: string): CountRow {
  const count = measureCapped(a.network, text);
  return { account: a, count, level: level(count), comment: comment ? measureCapped(a.network, comment) : null };
}

describe('composer messages', () => {
  it('lists every blocker with the field to fix, media first', () => {
    const x = acc(7, 'x', '@sol');
    const li = acc(8, 'linkedin', 'sol');
    const rows = [row(x, 'a'.repeat(281), ''), row(li, 'fine', 'c'.repeat(3100))];
    const got = blockersFor(rows, ['Too many images for X']);
    expect(got.map((b) => b.field)).toEqual(['[data-testid=composer-media-add]', 'variant:7', '#post-first-comment']);
    expect(got[1].text).toBe(limitReason(x, rows[0].count));
    expect(got[1].text).toContain('@sol');
    expect(got[2].text).toContain('3100');
    expect(blockersFor([row(x, 'short', '')], [])).toEqual([]);
  });

  it('says what autosave is doing, and why it waits', () => {
    expect(autosaveMessage({ state: 'idle' }, true, '')).not.toBe('');
    expect(autosaveMessage({ state: 'idle' }, false, '')).toBe('');
    expect(autosaveMessage({ state: 'saved', at: '10:42' }, false, '')).toContain('10:42');
    expect(autosaveMessage({ state: 'error', reason: 'disk full' }, false, '')).toContain('disk full');
    expect(autosaveMessage({ state: 'blocked', reason: 'overLimitScheduled' }, false, 'X is over')).toContain('X is over');
    expect(autosaveMessage({ state: 'blocked', reason: 'empty' }, false, '')).toBe('');
  });

  it('maps Go error fields to the form', () => {
    expect(formField('scheduledAt')).toBe('date');
    expect(formField('timeZone')).toBe('date');
    expect(formField('firstComment')).toBe('firstComment');
    expect(formField('nonsense')).toBeUndefined();
  });
});
