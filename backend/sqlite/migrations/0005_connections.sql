-- Connected accounts (Mastodon, Bluesky): where they live and what the
-- server allows. Tokens are never here: they live in the OS keychain.
ALTER TABLE accounts ADD COLUMN connection TEXT NOT NULL DEFAULT 'manual'; -- manual | connected | reconnect
ALTER TABLE accounts ADD COLUMN service_url TEXT NOT NULL DEFAULT '';      -- Mastodon instance or Bluesky service
ALTER TABLE accounts ADD COLUMN remote_id TEXT NOT NULL DEFAULT '';        -- Mastodon account id or Bluesky DID
ALTER TABLE accounts ADD COLUMN limits TEXT NOT NULL DEFAULT '{}';         -- JSON AccountLimits
