-- A post's revision, bumped on every edit or reschedule: iCal SEQUENCE.
ALTER TABLE posts ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
