-- A cluster's spec, its rendered objects and its drift are written and read back whole, never
-- queried inside: text spares a JSONB parse on every generation, reconcile and drift check, and
-- the rendering on every read (ADR 14).
ALTER TABLE cluster_specs ALTER COLUMN spec TYPE TEXT USING spec::text;
ALTER TABLE reconciliations ALTER COLUMN objects TYPE TEXT USING objects::text;
ALTER TABLE reconciliations
    ALTER COLUMN drift DROP DEFAULT,
    ALTER COLUMN drift TYPE TEXT USING drift::text,
    ALTER COLUMN drift SET DEFAULT '[]';
