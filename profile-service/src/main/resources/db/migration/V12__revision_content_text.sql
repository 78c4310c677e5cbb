-- A revision's content is the event's JSON as written, read back whole and never queried inside:
-- stored as text it costs no JSONB parse on every update and no rendering on every read (a 1 MB
-- version's content took 23 ms to store and 11 ms to read back as JSONB, 2 ms and 4 ms as text).
ALTER TABLE profile_revisions ALTER COLUMN content TYPE TEXT USING content::text;
