import { describe, expect, it } from 'vitest';
import { refusalReason } from './refusal';

const catalogue: Record<string, string> = {
  'err.network.rejected': '{host} refused the request ({status}): {detail}',
  'err.mastodon.schedule_too_soon': 'A server-side schedule must be at least {minutes} minutes ahead.',
  'err.media.publish_too_many': 'Too many images for this network.',
};
const errorText = (e: { code: string; key: string; message: string }) => catalogue[`err.${e.key}`] ?? `code ${e.code}`;

describe('refusalReason', () => {
  it('is empty when the instance did not refuse it', () => {
    expect(refusalReason({ remoteErrorCode: '', remoteErrorKey: '', remoteError: '' }, errorText)).toBe('');
  });
  it('translates a key that needs no params', () => {
    expect(refusalReason({ remoteErrorCode: 'invalid', remoteErrorKey: 'media.publish_too_many', remoteError: 'x takes 4' }, errorText)).toBe(
      'Too many images for this network',
    );
  });
  it("shows the instance's own words when the translation needs params", () => {
    const r = {
      remoteErrorCode: 'invalid',
      remoteErrorKey: 'network.rejected',
      remoteError: 'masto.test refused the request (422 Unprocessable Entity): Validation failed: Text too many scheduled statuses',
    };
    expect(refusalReason(r, errorText)).toBe('Validation failed: Text too many scheduled statuses');
    expect(refusalReason({ ...r, remoteErrorKey: 'mastodon.schedule_too_soon', remoteError: 'at least 5 minutes ahead.' }, errorText)).toBe('at least 5 minutes ahead');
  });
});
