-- Every workspace gets its random identity with the database: keychain
-- entries are named with it, and iCal UIDs are derived from it. A workspace
-- that already has one (created lazily by the calendar export) keeps it, so
-- its exported events keep their UIDs. Same form as the export wrote:
-- 32 lower-case hex digits.
INSERT OR IGNORE INTO settings (key, value) VALUES ('workspace.id', lower(hex(randomblob(16))));
UPDATE settings SET value = lower(hex(randomblob(16))) WHERE key = 'workspace.id' AND trim(value) = '';
