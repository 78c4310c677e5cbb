CREATE TABLE profile_catalog (
    id          TEXT        PRIMARY KEY,
    name        TEXT        NOT NULL,
    type        TEXT        NOT NULL,
    description TEXT        NOT NULL,
    tags        JSONB       NOT NULL,
    project     TEXT        NOT NULL,
    seq         BIGINT      NOT NULL,
    deleted     BOOLEAN     NOT NULL DEFAULT false,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT profile_catalog_name UNIQUE (name)
);

-- Every revision of every version, kept forever.
CREATE TABLE profile_revisions (
    profile_id TEXT        NOT NULL REFERENCES profile_catalog (id),
    version    TEXT        NOT NULL,
    revision   INT         NOT NULL,
    status     TEXT        NOT NULL,
    content    JSONB       NOT NULL,
    created_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (profile_id, version, revision)
);
