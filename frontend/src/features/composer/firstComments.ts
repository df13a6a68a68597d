// First comment per account (issue 16 item 10): pure logic of the composer.

/** One text for all accounts is the default only when they share one network. */
export function defaultSameForAll(networks: string[]): boolean {
  return new Set(networks).size <= 1;
}

export interface LoadedVariant {
  accountId: number;
  firstComment?: string;
}

/** From a loaded post: "same for all" when every account has the same comment. */
export function loadComments(postComment: string, variants: LoadedVariant[]): { same: boolean; common: string; perAccount: Record<number, string> } {
  const perAccount: Record<number, string> = {};
  for (const v of variants) perAccount[v.accountId] = v.firstComment ?? '';
  if (variants.length === 0) return { same: true, common: postComment, perAccount };
  const first = variants[0].firstComment ?? '';
  const same = variants.every((v) => (v.firstComment ?? '') === first);
  return { same, common: same ? first : '', perAccount };
}

/** What one account publishes as its first comment. */
export function commentFor(same: boolean, common: string, perAccount: Record<number, string>, accountId: number): string {
  return same ? common : (perAccount[accountId] ?? '');
}

/**
 * The save input's comments: the post-level comment (every account) when the
 * same for all, else "" and one per account ("" = none for that account).
 */
export function commentsInput(same: boolean, common: string, perAccount: Record<number, string>, accountIds: number[]): { post: string; byAccount: Record<number, string> } {
  const byAccount: Record<number, string> = {};
  for (const id of accountIds) byAccount[id] = same ? '' : (perAccount[id] ?? '').trim() ? perAccount[id] : '';
  return { post: same ? common : '', byAccount };
}
