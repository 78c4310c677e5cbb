-- Every service's projection of strata.access.events: projects and API keys (salted hashes only).
CREATE TABLE access_projects (
    name       TEXT        PRIMARY KEY,
    shared     BOOLEAN     NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE access_api_keys (
    name       TEXT        PRIMARY KEY,
    key_id     TEXT        NOT NULL UNIQUE,
    role       TEXT        NOT NULL,
    projects   TEXT[]      NOT NULL,
    expires_at TIMESTAMPTZ,
    salt       TEXT        NOT NULL,
    hash       TEXT        NOT NULL,
    revoked    BOOLEAN     NOT NULL DEFAULT false,
    created_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
