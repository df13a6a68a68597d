-- Whether an account's server holds scheduled posts (issue 12): GoToSocial
-- before 0.20 does not. '' = not known yet, 'yes', 'no'; asked at connect
-- and again daily by the outbox.
ALTER TABLE accounts ADD COLUMN server_schedules TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN schedules_probed_at TEXT;
