-- Brand kit and quick edits (issue 20).
-- An edited image is a library image of its own whose file was rendered
-- from another one (source_id) and a recipe (JSON, backend/media/edit):
-- the source's file is never written, and editing again starts from the
-- source and the recipe, not from the rendered pixels.
ALTER TABLE media ADD COLUMN source_id INTEGER REFERENCES media (id) ON DELETE SET NULL;
ALTER TABLE media ADD COLUMN recipe TEXT NOT NULL DEFAULT '';
CREATE INDEX media_source ON media (source_id) WHERE source_id IS NOT NULL;

-- A client's palette and text styles (JSON: ["#rrggbb", …] and
-- {"heading": {"font", "color", "size"}, "caption": …}).
CREATE TABLE brand_kits (
  client_id  INTEGER PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
  colors     TEXT NOT NULL DEFAULT '[]',
  styles     TEXT NOT NULL DEFAULT '{}',
  updated_at TEXT NOT NULL
);

-- Logos and fonts the user added to a client's kit; the files live in
-- <data dir>/brandkit/<hash>.<ext>, once per content.
CREATE TABLE brand_kit_assets (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('logo', 'font')),
  name       TEXT NOT NULL,
  hash       TEXT NOT NULL CHECK (length(hash) = 64),
  format     TEXT NOT NULL,          -- png | jpeg for logos, ttf | otf for fonts
  bytes      INTEGER NOT NULL,
  width      INTEGER NOT NULL DEFAULT 0,
  height     INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (client_id, kind, hash)
);

-- Saved sets of overlays ("quote card"): a recipe with a canvas or without.
CREATE TABLE edit_templates (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  recipe     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (client_id, name)
);
