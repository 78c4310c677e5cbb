-- A known revision's content is written and read back whole, never queried inside: text spares
-- the JSONB parse on every projected version event and the rendering on every read.
ALTER TABLE known_revisions ALTER COLUMN content TYPE TEXT USING content::text;
