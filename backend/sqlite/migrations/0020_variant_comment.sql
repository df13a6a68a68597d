-- First comment per account (issue 16 item 10): each variant has its own
-- first comment. Existing posts keep their behaviour: the post's comment is
-- copied onto each of its variants, and stays on the post only while it has
-- no account (an idea), where the composer shows it as "same for all".
ALTER TABLE variants ADD COLUMN first_comment TEXT NOT NULL DEFAULT '';
UPDATE variants SET first_comment = (SELECT p.first_comment FROM posts p WHERE p.id = variants.post_id)
  WHERE EXISTS (SELECT 1 FROM posts p WHERE p.id = variants.post_id AND TRIM(p.first_comment) <> '');
UPDATE posts SET first_comment = '' WHERE EXISTS (SELECT 1 FROM variants v WHERE v.post_id = posts.id);

-- The accounts the composer preselects for a new post of a client: the
-- last choice made for that client (issue 16 item 9).
CREATE TABLE client_account_choice (
  client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  PRIMARY KEY (client_id, account_id)
);
-- A client with a remembered choice of no account at all.
CREATE TABLE client_account_choice_set (
  client_id  INTEGER PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
  updated_at TEXT NOT NULL
);
