-- Client approval (issue 19). A post needing approval (its own flag, or its
-- client's require_approval) is held out of the outbox until approval_status
-- is 'approved' for its current content: approval_hash = content_hash.
-- content_hash is kept by the store on every write of the post's content
-- (backend.ContentHash); '' until the post is next written.
ALTER TABLE clients ADD COLUMN require_approval INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN needs_approval INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN approval_status TEXT NOT NULL DEFAULT 'none';
ALTER TABLE posts ADD COLUMN approval_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN approval_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN approval_at TEXT;
ALTER TABLE posts ADD COLUMN approval_package TEXT NOT NULL DEFAULT '';

-- Packages sent to a client: an answer is accepted only for one of them.
CREATE TABLE approval_packages (
  id          TEXT PRIMARY KEY,
  client_id   INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  from_at     TEXT NOT NULL,
  to_at       TEXT NOT NULL,
  post_ids    TEXT NOT NULL, -- JSON array
  created_at  TEXT NOT NULL
);
