import { describe, expect, it } from 'vitest';
import { approvalState } from './approval';

const a = (o: Partial<{ status: string; changed: boolean; required: boolean; waiting: boolean }>) => ({
  status: 'none',
  changed: false,
  required: false,
  waiting: false,
  ...o,
});

describe('approvalState', () => {
  it('says nothing when approval plays no part', () => {
    expect(approvalState(null)).toBe('');
    expect(approvalState(a({}))).toBe('');
  });
  it('waits when required and never asked', () => {
    expect(approvalState(a({ required: true, waiting: true }))).toBe('waiting');
  });
  it('shows the decision, and "changed" over any decision on older content', () => {
    expect(approvalState(a({ status: 'pending', required: true }))).toBe('pending');
    expect(approvalState(a({ status: 'approved' }))).toBe('approved');
    expect(approvalState(a({ status: 'changes' }))).toBe('changes');
    expect(approvalState(a({ status: 'approved', changed: true }))).toBe('changed');
  });
});
