import { describe, expect, it } from 'vitest';
import { commentFor, commentsInput, defaultSameForAll, loadComments } from './firstComments';

describe('first comment per account', () => {
  it('is the same for all by default only on one network', () => {
    expect(defaultSameForAll([])).toBe(true);
    expect(defaultSameForAll(['instagram', 'instagram'])).toBe(true);
    expect(defaultSameForAll(['instagram', 'linkedin'])).toBe(false);
  });
  it('loads a shared comment as "same for all" and different ones per account', () => {
    expect(loadComments('', [{ accountId: 1, firstComment: 'a' }, { accountId: 2, firstComment: 'a' }])).toEqual({ same: true, common: 'a', perAccount: { 1: 'a', 2: 'a' } });
    const l = loadComments('', [{ accountId: 1, firstComment: '#ig' }, { accountId: 2, firstComment: '' }]);
    expect(l.same).toBe(false);
    expect(commentFor(l.same, l.common, l.perAccount, 2)).toBe('');
    expect(commentFor(l.same, l.common, l.perAccount, 1)).toBe('#ig');
    expect(loadComments('idea comment', [])).toEqual({ same: true, common: 'idea comment', perAccount: {} });
  });
  it('sends one comment for all, or one per account with none for the others', () => {
    expect(commentsInput(true, 'x', { 1: 'y' }, [1, 2])).toEqual({ post: 'x', byAccount: { 1: '', 2: '' } });
    expect(commentsInput(false, 'x', { 1: '#ig', 2: '  ' }, [1, 2, 3])).toEqual({ post: '', byAccount: { 1: '#ig', 2: '', 3: '' } });
  });
});
