-- The outbox: publishing state per variant, and per account.
-- Every transition is committed before the next step; `sending` is written
-- before the network call, so a crash leaves a variant that says "maybe sent".
-- Times are UTC text "2006-01-02T15:04:05Z" like everywhere else.
ALTER TABLE variants ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'
  CHECK (state IN ('pending', 'sending', 'published', 'failed', 'needs_review', 'missed', 'skipped', 'due_manual'));
ALTER TABLE variants ADD COLUMN idempotency_key TEXT NOT NULL DEFAULT '';  -- Mastodon Idempotency-Key, generated once
ALTER TABLE variants ADD COLUMN record_key TEXT NOT NULL DEFAULT '';       -- Bluesky TID record key, generated once
ALTER TABLE variants ADD COLUMN remote_created_at TEXT;                    -- Bluesky createdAt, generated once
ALTER TABLE variants ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;       -- calls made (0 = never attempted)
ALTER TABLE variants ADD COLUMN next_attempt_at TEXT;                      -- not before (backoff, Retry-After)
ALTER TABLE variants ADD COLUMN last_error_code TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN last_error_key TEXT NOT NULL DEFAULT '';   -- i18n key of the last error
ALTER TABLE variants ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN remote_id TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN remote_uri TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN remote_cid TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN remote_url TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN published_at TEXT;
ALTER TABLE variants ADD COLUMN sending_since TEXT;                        -- start of the current (or last) call
ALTER TABLE variants ADD COLUMN uncertain_since TEXT;                      -- earliest call with an unknown outcome
ALTER TABLE variants ADD COLUMN due_at TEXT;                               -- overrides posts.scheduled_at (reschedule, publish now)
ALTER TABLE variants ADD COLUMN approved INTEGER NOT NULL DEFAULT 0;       -- the user asked for it late: never "missed" again
ALTER TABLE variants ADD COLUMN due_for TEXT;                              -- the due time a missed/skipped/due_manual variant had
ALTER TABLE variants ADD COLUMN state_changed_at TEXT;
CREATE INDEX variants_state ON variants (state);
CREATE INDEX variants_due_at ON variants (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX variants_next_attempt ON variants (next_attempt_at) WHERE next_attempt_at IS NOT NULL;

-- Posts already marked published before the outbox existed are not sent again.
UPDATE variants SET state = 'published'
  WHERE post_id IN (SELECT id FROM posts WHERE status = 'published');

-- Per-account publishing state; a missing row means "nothing special".
CREATE TABLE account_state (
  account_id      INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  paused_reason   TEXT NOT NULL DEFAULT '',   -- '' or 'auth': waits until reconnected
  paused_message  TEXT NOT NULL DEFAULT '',
  paused_at       TEXT,
  failures        INTEGER NOT NULL DEFAULT 0, -- consecutive transient failures: the backoff exponent
  backoff_until   TEXT,                       -- no call before (backoff, Retry-After)
  spaced_until    TEXT                        -- last "publish now" slot: missed posts never go out in a burst
);
