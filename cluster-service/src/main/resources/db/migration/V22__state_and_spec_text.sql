-- A cluster's state and a generation's spec are written and read back whole, never queried inside
-- (the selectors query labels, which stay JSONB): text spares a JSONB parse on every command and
-- every generation of a bulk operation, and the rendering on every read (ADR 14).
ALTER TABLE clusters ALTER COLUMN state TYPE TEXT USING state::text;
ALTER TABLE cluster_generations ALTER COLUMN spec TYPE TEXT USING spec::text;
