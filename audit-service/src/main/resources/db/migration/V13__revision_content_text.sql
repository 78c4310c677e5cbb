-- A revision's variables, layers and changes are written and read back whole, never queried
-- inside: text spares the JSONB parse on every projected version event and the rendering on reads.
ALTER TABLE audit_profile_revisions
    ALTER COLUMN variables TYPE TEXT USING variables::text,
    ALTER COLUMN layers TYPE TEXT USING layers::text,
    ALTER COLUMN changes TYPE TEXT USING changes::text;
