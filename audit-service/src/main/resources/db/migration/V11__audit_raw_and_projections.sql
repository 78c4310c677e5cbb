-- Events this build cannot decode (an unknown type, a newer schema version, a record that is not a
-- CloudEvent) are kept as they came and flagged, never dropped: '' means decoded.
ALTER TABLE audit_log ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN flag TEXT NOT NULL DEFAULT '';
-- Keyset pagination on seq per project (callers see only their projects) and the flagged few.
CREATE INDEX audit_log_project ON audit_log (project, seq);
CREATE INDEX audit_log_flagged ON audit_log (seq) WHERE flag <> '';

-- Projections. Every row is a function of the log in seq order (no now(), no serials), so a
-- rebuild from the first record gives identical tables.

-- The current state of each cluster: the fold's state as JSON plus the columns lists filter on.
CREATE TABLE audit_clusters (
    cluster_id   TEXT    PRIMARY KEY,
    project      TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    phase        TEXT    NOT NULL,
    generation   BIGINT  NOT NULL,
    deregistered BOOLEAN NOT NULL,
    state        JSONB   NOT NULL,
    updated_seq  BIGINT  NOT NULL
);
CREATE INDEX audit_clusters_project ON audit_clusters (project, cluster_id);

-- Every change and outcome of a cluster, with the phase it left the cluster in.
CREATE TABLE audit_cluster_timeline (
    seq                       BIGINT      PRIMARY KEY,
    cluster_id                TEXT        NOT NULL,
    occurred_at               TIMESTAMPTZ NOT NULL,
    kind                      TEXT        NOT NULL,
    generation                BIGINT      NOT NULL,
    actor                     TEXT        NOT NULL,
    reason                    TEXT        NOT NULL,
    phase                     TEXT        NOT NULL,
    observed_generation       BIGINT      NOT NULL,
    last_converged_generation BIGINT      NOT NULL,
    detail                    JSONB       NOT NULL
);
CREATE INDEX audit_cluster_timeline_cluster ON audit_cluster_timeline (cluster_id, seq);
CREATE INDEX audit_cluster_timeline_at ON audit_cluster_timeline (cluster_id, occurred_at, seq);

-- Every spec generation, for time travel and spec diffs.
CREATE TABLE audit_cluster_specs (
    cluster_id  TEXT        NOT NULL,
    seq         BIGINT      NOT NULL,
    generation  BIGINT      NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor       TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    spec        JSONB       NOT NULL,
    PRIMARY KEY (cluster_id, seq)
);
CREATE INDEX audit_cluster_specs_at ON audit_cluster_specs (cluster_id, occurred_at, seq);
CREATE INDEX audit_cluster_specs_generation ON audit_cluster_specs (cluster_id, generation, seq);

CREATE TABLE audit_profiles (
    profile_id  TEXT    PRIMARY KEY,
    project     TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    deleted     BOOLEAN NOT NULL,
    created_seq BIGINT  NOT NULL
);

CREATE TABLE audit_profile_versions (
    profile_id      TEXT    NOT NULL,
    version         TEXT    NOT NULL,
    latest_revision INT     NOT NULL,
    deprecated      BOOLEAN NOT NULL,
    locked          BOOLEAN NOT NULL,
    PRIMARY KEY (profile_id, version)
);

-- Every revision of every version with its whole content, forever.
CREATE TABLE audit_profile_revisions (
    profile_id  TEXT        NOT NULL,
    version     TEXT        NOT NULL,
    revision    INT         NOT NULL,
    seq         BIGINT      NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor       TEXT        NOT NULL,
    copied_from TEXT        NOT NULL,
    variables   JSONB       NOT NULL,
    layers      JSONB       NOT NULL,
    changes     JSONB       NOT NULL,
    PRIMARY KEY (profile_id, version, revision)
);

-- Changes per actor and project (commands, not the system's own outcomes).
CREATE TABLE audit_actor_changes (
    actor   TEXT   NOT NULL,
    project TEXT   NOT NULL,
    changes BIGINT NOT NULL,
    PRIMARY KEY (actor, project)
);
