-- Mastodon server-side scheduling (issue 7): what the instance has, or may
-- have, for a variant. The row outlives the variant on purpose (no foreign
-- key to variants): a variant removed from a post, or a post purged from the
-- bin, still has its scheduled status to cancel. post_id guards against a
-- reused variant id. A row with remote_id set or creating_since set holds the
-- variant: the local publishing path never sends it.
CREATE TABLE remote_schedules (
  variant_id       INTEGER PRIMARY KEY,
  post_id          INTEGER NOT NULL,
  account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  remote_id        TEXT NOT NULL DEFAULT '',   -- the instance's scheduled status id
  scheduled_at     TEXT,                       -- the time the instance has (UTC)
  hash             TEXT NOT NULL DEFAULT '',   -- text, media and language the instance has
  text             TEXT NOT NULL DEFAULT '',   -- the text sent (to recognise the status after a crash)
  idempotency_key  TEXT NOT NULL DEFAULT '',   -- of the current create call (new per create)
  creating_since   TEXT,                       -- written before a create call, cleared with its outcome
  refused_hash     TEXT NOT NULL DEFAULT '',   -- hash+time the instance refused: publish locally
  last_error_code  TEXT NOT NULL DEFAULT '',
  last_error_key   TEXT NOT NULL DEFAULT '',
  last_error       TEXT NOT NULL DEFAULT '',
  updated_at       TEXT
);
CREATE INDEX remote_schedules_account ON remote_schedules (account_id);
