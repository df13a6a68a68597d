-- The inbox (issue 14): what networks told each account, stored once per
-- (account, remote id) so a re-fetch never duplicates an item, with what
-- the user did about it. The notification itself is kept as JSON (plain
-- text only: adapters strip remote HTML before it gets here).
CREATE TABLE inbox_items (
  id              INTEGER PRIMARY KEY,
  account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  remote_id       TEXT NOT NULL,
  kind            TEXT NOT NULL,
  created_at      TEXT NOT NULL,            -- when it happened (server time)
  about_id        TEXT NOT NULL DEFAULT '', -- our post it is about (summary rows group by it)
  filtered        INTEGER NOT NULL DEFAULT 0,
  notification    TEXT NOT NULL,            -- JSON backend.Notification
  state           TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'done', 'snoozed')),
  snoozed_until   TEXT,
  tags            TEXT NOT NULL DEFAULT '[]',
  pinned          INTEGER NOT NULL DEFAULT 0,
  alert           TEXT NOT NULL DEFAULT '[]', -- alert words of the crisis plan it matched
  alerted         INTEGER NOT NULL DEFAULT 0, -- alert is not empty: sorted first
  note            TEXT NOT NULL DEFAULT '',
  arrived_at      TEXT NOT NULL,
  first_reply_at  TEXT,
  UNIQUE (account_id, remote_id)
);
CREATE INDEX inbox_items_newest ON inbox_items (alerted DESC, created_at DESC);
CREATE INDEX inbox_items_account ON inbox_items (account_id, created_at DESC);
CREATE INDEX inbox_items_open ON inbox_items (account_id) WHERE state <> 'done';   -- unread counts
CREATE INDEX inbox_items_created ON inbox_items (created_at DESC);                   -- summaries: newest first
CREATE INDEX inbox_items_group ON inbox_items (account_id, kind, about_id, created_at); -- one summary row's items

-- Per account: where the last fetch stopped and how it went.
CREATE TABLE inbox_sync (
  account_id     INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  mark           TEXT NOT NULL DEFAULT '',  -- high-water mark (newest fetched)
  older          TEXT NOT NULL DEFAULT '',  -- cursor for "load older" (history before the first sync)
  gap            INTEGER NOT NULL DEFAULT 0, -- the cap was hit before the mark: the gap is read on the next passes
  gap_from       TEXT NOT NULL DEFAULT '',  -- cursor: the gap goes on below this
  gap_until      TEXT NOT NULL DEFAULT '',  -- the old mark where the gap ends
  mark_read      INTEGER NOT NULL DEFAULT 0, -- the user opted in to moving the network's read marker
  read_mark      TEXT NOT NULL DEFAULT '',  -- the mark last sent to the network
  synced_at      TEXT,
  next_sync_at   TEXT,
  failures       INTEGER NOT NULL DEFAULT 0,
  error_code     TEXT NOT NULL DEFAULT '',
  error_key      TEXT NOT NULL DEFAULT '',
  error          TEXT NOT NULL DEFAULT '',
  error_params   TEXT NOT NULL DEFAULT '{}',
  listen_marks   TEXT NOT NULL DEFAULT '{}' -- JSON: watched hashtag or keyword → newest status read
);

-- Saved replies: per client, or shared (client_id NULL). Crisis ones are
-- the holding replies of the client's crisis plan.
CREATE TABLE saved_replies (
  id          INTEGER PRIMARY KEY,
  client_id   INTEGER REFERENCES clients (id) ON DELETE CASCADE,
  title       TEXT NOT NULL,
  text        TEXT NOT NULL,
  tags        TEXT NOT NULL DEFAULT '[]',
  crisis      INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX saved_replies_client ON saved_replies (client_id);

-- Per client: the crisis plan's alert words and the inbox tag list.
CREATE TABLE inbox_client (
  client_id    INTEGER PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
  alert_words  TEXT NOT NULL DEFAULT '[]',
  tags         TEXT NOT NULL DEFAULT '["question","praise","complaint","crisis","lead"]',
  watch        TEXT NOT NULL DEFAULT '[]', -- listening: hashtags (#tag) and keywords
  updated_at   TEXT NOT NULL
);

-- A reply from the inbox is a post of kind 'reply' with one variant that
-- answers a remote post: the outbox sends it like any post (keys generated
-- once, sending committed before the call) with these refs.
ALTER TABLE posts ADD COLUMN kind TEXT NOT NULL DEFAULT 'post' CHECK (kind IN ('post', 'reply'));
ALTER TABLE variants ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';   -- JSON backend.RemoteRef: the parent
ALTER TABLE variants ADD COLUMN reply_root TEXT NOT NULL DEFAULT ''; -- JSON backend.RemoteRef: the thread root
ALTER TABLE variants ADD COLUMN inbox_item_id INTEGER REFERENCES inbox_items (id) ON DELETE SET NULL;
CREATE INDEX variants_inbox_item ON variants (inbox_item_id) WHERE inbox_item_id IS NOT NULL;
