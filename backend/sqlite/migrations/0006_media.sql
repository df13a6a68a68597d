-- Media library (issue 5). One row per image per client; the file itself is
-- stored once per content hash, outside the database, in
-- <data dir>/media/<hash[:2]>/<hash>.<ext>, so the same photo imported for
-- two clients (or twice for one) costs its bytes once.
CREATE TABLE media (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: URLs and caches key on it
  client_id   INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  hash        TEXT NOT NULL CHECK (length(hash) = 64),  -- sha256 of the file, lower-case hex
  name        TEXT NOT NULL,                    -- original file name, no folders
  format      TEXT NOT NULL,                    -- jpeg | png | gif | webp, from the content
  bytes       INTEGER NOT NULL,
  width       INTEGER NOT NULL,                 -- upright (EXIF orientation applied)
  height      INTEGER NOT NULL,
  alt         TEXT NOT NULL DEFAULT '',         -- '' = missing: the UI warns
  focal_x     REAL NOT NULL DEFAULT 0.5 CHECK (focal_x BETWEEN 0 AND 1),
  focal_y     REAL NOT NULL DEFAULT 0.5 CHECK (focal_y BETWEEN 0 AND 1),
  created_at  TEXT NOT NULL,
  UNIQUE (client_id, hash)
);
CREATE INDEX media_client_created ON media (client_id, created_at DESC, id DESC);
CREATE INDEX media_hash ON media (hash);

-- Images a post carries, in order. presets: JSON object network → preset id
-- for variants that do not use their network's default preset.
-- Deleting a media row drops its links (the service refuses while a
-- non-deleted post uses it; links from posts in the bin go with it).
CREATE TABLE post_media (
  post_id   INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  media_id  INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  presets   TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (post_id, media_id)
);
CREATE INDEX post_media_media ON post_media (media_id);
