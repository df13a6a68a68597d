-- A server-side schedule's create call is timed on the server's clock
-- (issue 12): the server's time taken just before the call. Its outcome,
-- when unknown, is "not created" only once a list read Settle later (by the
-- server's Date) does not show it; never by the laptop's clock or by
-- trusting the Idempotency-Key (GoToSocial ignores it).
ALTER TABLE remote_schedules ADD COLUMN mark_at TEXT; -- NULL: no mark (taken from the first list read after)
