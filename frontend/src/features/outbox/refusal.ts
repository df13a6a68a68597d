// Why an instance refused to schedule a post on the server (OutboxItem
// remoteError*). The outbox keeps the error's key and message but not its
// params, so a translation that needs params cannot be used: then the
// instance's own words are shown.
import type { OutboxItem } from '../../lib/api';

type Refusal = Pick<OutboxItem, 'remoteErrorCode' | 'remoteErrorKey' | 'remoteError'>;
type ErrorText = (e: { code: string; key: string; message: string }) => string;

/** The reason to show, without a final full stop (it goes inside a sentence); '' = the instance did not refuse it. */
export function refusalReason(r: Refusal, errorText: ErrorText): string {
  if (!r.remoteErrorKey && !r.remoteError) return '';
  let reason = errorText({ code: r.remoteErrorCode || 'invalid', key: r.remoteErrorKey, message: r.remoteError });
  if (/\{\w+\}/.test(reason)) {
    // "<host> refused the request (<status>): <the instance's text>"
    const m = /refused the request \([^)]*\): ([\s\S]+)$/.exec(r.remoteError);
    reason = m ? m[1] : r.remoteError;
  }
  return reason.trim().replace(/\.+$/, '');
}
