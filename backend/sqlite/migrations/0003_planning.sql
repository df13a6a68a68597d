-- Week planning: soft delete with undo, first comment, brand rules,
-- posting slots, hashtag sets and templates.
ALTER TABLE posts ADD COLUMN deleted_at TEXT;             -- soft delete; purged after 30 days
ALTER TABLE posts ADD COLUMN first_comment TEXT NOT NULL DEFAULT '';
CREATE INDEX posts_deleted ON posts (deleted_at) WHERE deleted_at IS NOT NULL;

ALTER TABLE clients ADD COLUMN banned_words TEXT NOT NULL DEFAULT '[]';   -- JSON array
ALTER TABLE clients ADD COLUMN required_tags TEXT NOT NULL DEFAULT '[]';  -- JSON array: #tags and @mentions

CREATE TABLE slots (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Monday
  minute      INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 1439), -- wall clock in the client's zone
  UNIQUE (account_id, weekday, minute)
);

CREATE TABLE hashtag_sets (
  id         INTEGER PRIMARY KEY,
  client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  tags       TEXT NOT NULL,
  UNIQUE (client_id, name COLLATE NOCASE)
);

CREATE TABLE templates (
  id             INTEGER PRIMARY KEY,
  client_id      INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  text           TEXT NOT NULL,
  first_comment  TEXT NOT NULL DEFAULT '',
  labels         TEXT NOT NULL DEFAULT '[]',
  created_at     TEXT NOT NULL,
  UNIQUE (client_id, name COLLATE NOCASE)
);
