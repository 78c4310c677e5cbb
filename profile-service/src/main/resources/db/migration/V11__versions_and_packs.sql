-- A row per version with its newest revision and its marks; revisions stay in profile_revisions.
CREATE TABLE profile_versions (
    profile_id TEXT        NOT NULL REFERENCES profile_catalog (id),
    version    TEXT        NOT NULL,
    revision   INT         NOT NULL,
    deprecated BOOLEAN     NOT NULL DEFAULT false,
    locked     BOOLEAN     NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (profile_id, version)
);
INSERT INTO profile_versions (profile_id, version, revision, deprecated, locked, created_at, updated_at)
SELECT profile_id, version, max(revision), bool_or(status = 'deprecated'), bool_or(status = 'locked'),
       min(created_at), max(created_at)
FROM profile_revisions GROUP BY profile_id, version;
ALTER TABLE profile_revisions DROP COLUMN status;

-- The pack registry: metadata per name+version, content stored once per digest.
CREATE TABLE pack_blobs (
    digest  TEXT  PRIMARY KEY,
    content BYTEA NOT NULL
);
CREATE TABLE packs (
    name           TEXT        NOT NULL,
    version        TEXT        NOT NULL,
    kind           TEXT        NOT NULL,
    digest         TEXT        NOT NULL REFERENCES pack_blobs (digest),
    size_bytes     BIGINT      NOT NULL,
    default_values TEXT        NOT NULL,
    project        TEXT        NOT NULL,
    created_by     TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (name, version)
);
