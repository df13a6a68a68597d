CREATE TABLE clients (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  color       TEXT NOT NULL,
  time_zone   TEXT NOT NULL,
  language    TEXT NOT NULL,
  guidelines  TEXT NOT NULL DEFAULT '',
  archived    INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX clients_name ON clients (name COLLATE NOCASE);

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  client_id     INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  network       TEXT NOT NULL,
  handle        TEXT NOT NULL,
  display_name  TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX accounts_handle ON accounts (client_id, network, handle COLLATE NOCASE);

CREATE TABLE posts (
  id            INTEGER PRIMARY KEY,
  client_id     INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  status        TEXT NOT NULL,
  base_text     TEXT NOT NULL DEFAULT '',
  scheduled_at  TEXT,               -- UTC, "2006-01-02T15:04:05Z"; NULL for ideas
  time_zone     TEXT NOT NULL,      -- the client's IANA zone beside it
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX posts_scheduled ON posts (scheduled_at);
CREATE INDEX posts_client_scheduled ON posts (client_id, scheduled_at);

CREATE TABLE post_labels (
  post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  label    TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (post_id, label)
);

CREATE TABLE variants (
  id          INTEGER PRIMARY KEY,
  post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  text        TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX variants_post_account ON variants (post_id, account_id);
CREATE INDEX variants_account ON variants (account_id);

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
