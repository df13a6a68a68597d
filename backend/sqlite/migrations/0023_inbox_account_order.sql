-- One client's inbox in list order (issue 14's speed goal): the list sorts
-- alerts first, then newest. Over all accounts inbox_items_newest gives that
-- order; for one client SQLite had to sort every item of its accounts to
-- find the first page. With this index each account's items are read in
-- list order (backwards), a page per account, and only those are merged.
CREATE INDEX inbox_items_account_order ON inbox_items (account_id, alerted, created_at);
