-- Unread counts kept up to date (issue 14's speed goal): opening the inbox
-- asked COUNT(*) of every item not done, a scan of the whole inbox. Now
-- each account has a counter of its items not done ('new' or 'snoozed'),
-- kept by triggers on every way an item can come, go or change state
-- (inserts, state updates, deletes, the account's deletion cascading to its
-- items), so the per-client sums read one row per account.
CREATE TABLE inbox_unread (
  account_id  INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  n           INTEGER NOT NULL DEFAULT 0
);

INSERT INTO inbox_unread (account_id, n)
  SELECT account_id, COUNT(*) FROM inbox_items WHERE state <> 'done' GROUP BY account_id;

CREATE TRIGGER inbox_unread_insert AFTER INSERT ON inbox_items WHEN new.state <> 'done'
BEGIN
  INSERT OR IGNORE INTO inbox_unread (account_id, n) VALUES (new.account_id, 0);
  UPDATE inbox_unread SET n = n + 1 WHERE account_id = new.account_id;
END;

CREATE TRIGGER inbox_unread_delete AFTER DELETE ON inbox_items WHEN old.state <> 'done'
BEGIN
  UPDATE inbox_unread SET n = n - 1 WHERE account_id = old.account_id;
END;

CREATE TRIGGER inbox_unread_update AFTER UPDATE OF state, account_id ON inbox_items
  WHEN (old.state <> 'done') <> (new.state <> 'done') OR old.account_id <> new.account_id
BEGIN
  UPDATE inbox_unread SET n = n - (old.state <> 'done') WHERE account_id = old.account_id;
  INSERT OR IGNORE INTO inbox_unread (account_id, n) VALUES (new.account_id, 0);
  UPDATE inbox_unread SET n = n + (new.state <> 'done') WHERE account_id = new.account_id;
END;

-- A summary row's counts read its items' states from the group index alone.
DROP INDEX inbox_items_group;
CREATE INDEX inbox_items_group ON inbox_items (account_id, kind, about_id, created_at, state);
