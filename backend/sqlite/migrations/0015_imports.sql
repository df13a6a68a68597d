-- CSV imports (issue 17): each applied import, the posts it created and the
-- library images it added, so one step undoes exactly that import.
CREATE TABLE imports (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id   INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  label       TEXT NOT NULL,               -- import-YYYY-MM-DD, given to every post
  file_name   TEXT NOT NULL DEFAULT '',
  posts       INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  undone_at   TEXT                          -- NULL while the import stands
);
CREATE INDEX imports_client ON imports (client_id, created_at DESC);

CREATE TABLE import_posts (
  import_id  INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  PRIMARY KEY (import_id, post_id)
);
CREATE INDEX import_posts_post ON import_posts (post_id);

CREATE TABLE import_media (
  import_id  INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  media_id   INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  PRIMARY KEY (import_id, media_id)
);
