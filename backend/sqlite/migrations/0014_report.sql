-- The monthly report (issue #15): figures per published variant, follower
-- counts per account and day, the client's monthly objectives, the figures
-- fields a manual network offers, and the CM's saved texts per period.
-- Times are UTC text "2006-01-02T15:04:05Z" like everywhere else.

-- The latest figures of a published variant. source 'network' = fetched by
-- the collector, 'manual' = typed by the user (never overwritten by a fetch).
-- deleted = the network no longer has it (its last figures are kept).
-- reach and saves are NULL where the network (or the user) gives none.
CREATE TABLE post_metrics (
  variant_id  INTEGER PRIMARY KEY REFERENCES variants (id) ON DELETE CASCADE,
  replies     INTEGER NOT NULL DEFAULT 0 CHECK (replies >= 0),
  reposts     INTEGER NOT NULL DEFAULT 0 CHECK (reposts >= 0),
  likes       INTEGER NOT NULL DEFAULT 0 CHECK (likes >= 0),
  quotes      INTEGER NOT NULL DEFAULT 0 CHECK (quotes >= 0),
  reach       INTEGER CHECK (reach IS NULL OR reach >= 0),
  saves       INTEGER CHECK (saves IS NULL OR saves >= 0),
  source      TEXT NOT NULL CHECK (source IN ('network', 'manual')),
  deleted     INTEGER NOT NULL DEFAULT 0,
  fetched_at  TEXT NOT NULL
);

-- One follower count per account and day (the account's client's zone day,
-- "2006-01-02"), the first taken that day.
CREATE TABLE follower_snapshots (
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  day         TEXT NOT NULL,
  followers   INTEGER NOT NULL CHECK (followers >= 0),
  taken_at    TEXT NOT NULL,
  PRIMARY KEY (account_id, day)
);

-- Monthly targets ("2026-11"); NULL = no target for that measure.
-- posts_per_network is a JSON object {"mastodon": 12, ...}.
CREATE TABLE report_objectives (
  client_id               INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  month                   TEXT NOT NULL,
  posts_per_network       TEXT NOT NULL DEFAULT '{}',
  interactions            INTEGER CHECK (interactions IS NULL OR interactions >= 0),
  followers_gained        INTEGER,
  first_response_minutes  INTEGER CHECK (first_response_minutes IS NULL OR first_response_minutes >= 0),
  updated_at              TEXT NOT NULL,
  PRIMARY KEY (client_id, month)
);

-- The CM's summary and next period's plan, per client and period
-- (from and to are days "2006-01-02", to exclusive).
CREATE TABLE report_texts (
  client_id   INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  period_from TEXT NOT NULL,
  period_to   TEXT NOT NULL,
  summary     TEXT NOT NULL DEFAULT '',
  plan        TEXT NOT NULL DEFAULT '',
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (client_id, period_from, period_to)
);

CREATE INDEX variants_published_at ON variants (published_at) WHERE published_at IS NOT NULL;
