// A post's approval state as one word for chips, filters and the composer.
export type ApprovalState = '' | 'waiting' | 'pending' | 'approved' | 'changes' | 'changed';

export interface ApprovalLike {
  status: string; // none | pending | approved | changes
  changed: boolean;
  required: boolean;
  waiting: boolean;
}

/**
 * '' when approval plays no part; "changed" when the client decided on
 * content edited since; else the decision, "pending" while a package waits
 * for its answer, and "waiting" when approval is required but never asked.
 */
export function approvalState(a: ApprovalLike | null | undefined): ApprovalState {
  if (!a) return '';
  if (a.changed) return 'changed';
  if (a.status === 'approved' || a.status === 'changes' || a.status === 'pending') return a.status;
  return a.required ? 'waiting' : '';
}
