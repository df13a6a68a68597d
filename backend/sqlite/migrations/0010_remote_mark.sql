-- Exactly once without trusting the laptop's clock or the server's key
-- memory (issue 12): before each Mastodon call the outbox stores where the
-- account's timeline stood (newest status id, and the server's own time),
-- so an interrupted call is resolved by finding the status, and elapsed
-- time is measured on the server's clock.
ALTER TABLE variants ADD COLUMN mark_id TEXT NOT NULL DEFAULT '';         -- newest status id before the call
ALTER TABLE variants ADD COLUMN mark_at TEXT;                            -- server time then (NULL: no mark)
ALTER TABLE variants ADD COLUMN media_uploads TEXT NOT NULL DEFAULT '';  -- JSON: images the last attempt uploaded
ALTER TABLE variants ADD COLUMN comment_mark_id TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN comment_mark_at TEXT;
