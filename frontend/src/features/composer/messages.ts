// What the composer says about a post it cannot schedule or save yet: a
// network's limit broken, the reasons Schedule is blocked (each with the
// field to fix), the autosave state, and which form field a Go error is about.
import type { Account } from '../../lib/api';
import { locale, networkName, t } from '../../lib/i18n/index.svelte';
import { MAX_POST_BYTES, overReason, type Count } from '../../lib/limits';
import type { CountRow } from './VariantEditor.svelte';

/** Why a text is over its network's limit on that account ("" when it is not). */
export function limitReason(a: Account, c: Count & { capped?: boolean }): string {
  const p = { network: networkName(a.network), handle: a.handle };
  if (c.capped) return t('composer.autosave.tooLong', { max: MAX_POST_BYTES.toLocaleString(locale()) });
  switch (overReason(c)) {
    case 'length':
      return t('composer.overLength', { ...p, used: c.used, limit: c.rule.limit });
    case 'bytes':
      return t('composer.overBytes', { ...p, bytes: c.bytes, limit: c.rule.byteLimit ?? 0 });
    case 'hashtags':
      return t('composer.overHashtags', { ...p, count: c.hashtags, limit: c.rule.hashtagLimit ?? 0 });
  }
  return '';
}

/** A reason Schedule is blocked, with the field to fix: "variant:N" is the text account N publishes, else a selector inside the composer. */
export type Blocker = { text: string; field: string };

export function blockersFor(rows: readonly CountRow[], mediaBlockers: readonly string[]): Blocker[] {
  const out: Blocker[] = mediaBlockers.map((text) => ({ text, field: '[data-testid=composer-media-add]' }));
  for (const r of rows) {
    if (r.count.over) out.push({ text: limitReason(r.account, r.count), field: `variant:${r.account.id}` });
    if (r.comment && r.comment.rule.limit > 0 && r.comment.used > r.comment.rule.limit)
      out.push({ text: t('composer.commentOver', { network: networkName(r.account.network), used: r.comment.used, limit: r.comment.rule.limit }), field: '#post-first-comment' });
  }
  return out;
}

export interface AutosaveState {
  state: 'idle' | 'saving' | 'saved' | 'error' | 'blocked';
  at?: string; // saved: when
  reason?: string; // error: the message; blocked: the plan's reason
}

/** The footer's autosave line; firstBlocker names what keeps a scheduled post from saving. */
export function autosaveMessage(auto: AutosaveState, isNew: boolean, firstBlocker: string): string {
  switch (auto.state) {
    case 'saving':
      return t('composer.autosave.saving');
    case 'saved':
      return t('composer.autosave.saved', { time: auto.at ?? '' });
    case 'error':
      return t('composer.autosave.failed', { reason: auto.reason ?? '' });
    case 'blocked':
      switch (auto.reason) {
        case 'overLimitScheduled':
          return t('composer.autosave.overLimitScheduled', { reason: firstBlocker });
        case 'tooLong':
          return t('composer.autosave.tooLong', { max: MAX_POST_BYTES.toLocaleString(locale()) });
        case 'locked':
          return t('composer.autosave.locked');
      }
      return '';
  }
  return isNew ? t('composer.autosave.newPost') : '';
}

// Go's error fields, as the form's fields.
const FIELD_OF: Record<string, string> = {
  client: 'client',
  accounts: 'accounts',
  text: 'text',
  firstComment: 'firstComment',
  date: 'date',
  scheduledAt: 'date',
  timeZone: 'date',
  time: 'time',
  labels: 'labels',
};

/** The form field a Go error's field is about (undefined: none shown there). */
export function formField(goField: string): string | undefined {
  return FIELD_OF[goField];
}
