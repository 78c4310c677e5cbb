-- The clusters read model; `state` is the aggregate as of `seq`, written in the transaction that
-- appended its events, so a command folds nothing and locks the row it changes.
CREATE TABLE clusters (
    id                        TEXT        PRIMARY KEY,
    name                      TEXT        NOT NULL,
    project                   TEXT        NOT NULL,
    labels                    JSONB       NOT NULL,
    target_kind               TEXT        NOT NULL,
    state                     JSONB       NOT NULL,
    seq                       BIGINT      NOT NULL,
    generation                BIGINT      NOT NULL,
    phase                     TEXT        NOT NULL,
    observed_generation       BIGINT      NOT NULL DEFAULT 0,
    last_converged_generation BIGINT      NOT NULL DEFAULT 0,
    message                   TEXT        NOT NULL DEFAULT '',
    status_updated_at         TIMESTAMPTZ NOT NULL,
    created_at                TIMESTAMPTZ NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL,
    deleted                   BOOLEAN     NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX clusters_project_name ON clusters (project, name) WHERE NOT deleted;
CREATE INDEX clusters_labels ON clusters USING gin (labels);

-- What each cluster runs, for "which clusters have a pending update" as one indexed join.
CREATE TABLE cluster_attachments (
    cluster_id TEXT NOT NULL REFERENCES clusters (id),
    profile_id TEXT NOT NULL,
    version    TEXT NOT NULL,
    revision   INT  NOT NULL,
    PRIMARY KEY (cluster_id, profile_id)
);
CREATE INDEX cluster_attachments_version ON cluster_attachments (profile_id, version);

-- Every spec generation, kept forever: rollback targets and the generations endpoint.
CREATE TABLE cluster_generations (
    cluster_id    TEXT        NOT NULL REFERENCES clusters (id),
    generation    BIGINT      NOT NULL,
    reason        TEXT        NOT NULL,
    spec          JSONB       NOT NULL,
    actor         TEXT        NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    restored_from BIGINT,
    converged     BOOLEAN     NOT NULL DEFAULT false,
    PRIMARY KEY (cluster_id, generation)
);

-- Kubeconfigs and sensitive variable values, AES-256-GCM; events carry only `ref`.
CREATE TABLE sealed_values (
    ref        TEXT        PRIMARY KEY,
    cluster_id TEXT        NOT NULL,
    kind       TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    key_id     TEXT        NOT NULL,
    nonce      BYTEA       NOT NULL,
    ciphertext BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Bulk operations: accepted (202) durably, then carried out cluster by cluster.
CREATE TABLE bulk_operations (
    id             TEXT        PRIMARY KEY,
    kind           TEXT        NOT NULL,
    request        JSONB       NOT NULL,
    actor          TEXT        NOT NULL,
    correlation_id TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ
);

CREATE TABLE bulk_items (
    operation_id TEXT   NOT NULL REFERENCES bulk_operations (id),
    position     INT    NOT NULL,
    cluster_id   TEXT   NOT NULL,
    project      TEXT   NOT NULL,
    status       TEXT   NOT NULL,
    generation   BIGINT,
    message      TEXT   NOT NULL DEFAULT '',
    PRIMARY KEY (operation_id, position)
);
CREATE INDEX bulk_items_pending ON bulk_items (operation_id) WHERE status = 'pending';
