-- First comments: a variant's first comment is published as a reply right
-- after the post, with its own exactly-once state (like 0004_outbox.sql):
-- keys generated once, `sending` committed before the call. The variant's
-- own state and its CHECK are untouched.
-- comment_state '' = nothing to send (no comment, post not published yet,
-- manual network); set to 'pending' in the transaction that publishes the post.
ALTER TABLE variants ADD COLUMN comment_state TEXT NOT NULL DEFAULT ''
  CHECK (comment_state IN ('', 'pending', 'sending', 'published', 'failed', 'needs_review', 'skipped'));
ALTER TABLE variants ADD COLUMN comment_idempotency_key TEXT NOT NULL DEFAULT '';  -- Mastodon Idempotency-Key, generated once
ALTER TABLE variants ADD COLUMN comment_record_key TEXT NOT NULL DEFAULT '';       -- Bluesky TID, generated once
ALTER TABLE variants ADD COLUMN comment_created_at TEXT;                           -- Bluesky createdAt, generated once
ALTER TABLE variants ADD COLUMN comment_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE variants ADD COLUMN comment_next_attempt_at TEXT;
ALTER TABLE variants ADD COLUMN comment_error_code TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN comment_error_key TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN comment_error TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN comment_remote_id TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN comment_remote_uri TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN comment_remote_cid TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN comment_remote_url TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN comment_published_at TEXT;
ALTER TABLE variants ADD COLUMN comment_sending_since TEXT;
ALTER TABLE variants ADD COLUMN comment_uncertain_since TEXT;
-- The outbox loop looks for comments to send on every pass: keep it cheap.
CREATE INDEX variants_comment_active ON variants (comment_state) WHERE comment_state IN ('pending', 'sending');
