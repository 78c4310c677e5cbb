-- The projection of strata.profile.events that cluster-service and the reconciler keep
-- (service-kit's KnownProfiles): every profile, version, revision's content and pack.
CREATE TABLE known_profiles (
    id      TEXT    PRIMARY KEY,
    name    TEXT    NOT NULL,
    type    TEXT    NOT NULL,
    project TEXT    NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX known_profiles_name ON known_profiles (name);

CREATE TABLE known_versions (
    profile_id      TEXT    NOT NULL REFERENCES known_profiles (id),
    version         TEXT    NOT NULL,
    latest_revision INT     NOT NULL,
    deprecated      BOOLEAN NOT NULL DEFAULT false,
    locked          BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (profile_id, version)
);

CREATE TABLE known_revisions (
    profile_id TEXT  NOT NULL,
    version    TEXT  NOT NULL,
    revision   INT   NOT NULL,
    content    JSONB NOT NULL,
    PRIMARY KEY (profile_id, version, revision)
);

CREATE TABLE known_packs (
    name           TEXT NOT NULL,
    version        TEXT NOT NULL,
    kind           TEXT NOT NULL,
    digest         TEXT NOT NULL,
    default_values TEXT NOT NULL,
    project        TEXT NOT NULL,
    PRIMARY KEY (name, version)
);
