-- Likes and avatars in the inbox (issue 14).
--
-- A like is outbox work like a reply: a post of kind 'like' with one
-- variant whose like_of is the remote post it likes (JSON backend.RemoteRef),
-- sent once by the outbox's state machine (Mastodon favourite, Bluesky an
-- app.bsky.feed.like record at the variant's record key).
ALTER TABLE variants ADD COLUMN like_of TEXT NOT NULL DEFAULT '';

-- Authors' avatars, cached in the workspace: one small re-encoded file per
-- (network, author), refreshed at most daily; a bad answer is remembered
-- (no retry storm) and the initial is shown instead.
CREATE TABLE inbox_avatars (
  author_key  TEXT PRIMARY KEY,            -- network + ':' + author id (DID, account id)
  url         TEXT NOT NULL,               -- the remote URL it was fetched from
  file        TEXT NOT NULL DEFAULT '',    -- file name in the avatar cache ('' = none)
  fetched_at  TEXT NOT NULL,               -- last attempt, good or bad
  failures    INTEGER NOT NULL DEFAULT 0,
  error       TEXT NOT NULL DEFAULT ''
);

-- posts.kind gains 'like'. The CHECK was added by ALTER TABLE (0013), and
-- rebuilding posts would drop columns other migrations add, so the
-- constraint is widened in place, as SQLite documents for constraints no
-- stored row can violate (the migration runner bumps schema_version).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''post'', ''reply''))', 'CHECK (kind IN (''post'', ''reply'', ''like''))')
  WHERE type = 'table' AND name = 'posts';
PRAGMA writable_schema = OFF;
