-- The newest spec of every cluster (projection of strata.cluster.events).
CREATE TABLE cluster_specs (
    cluster_id      TEXT        PRIMARY KEY,
    project         TEXT        NOT NULL,
    target_kind     TEXT        NOT NULL,
    credentials_ref TEXT        NOT NULL,
    generation      BIGINT      NOT NULL,
    spec            JSONB       NOT NULL,
    deregistered    BOOLEAN     NOT NULL DEFAULT false,
    prune           BOOLEAN     NOT NULL DEFAULT true,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- The last outcome of each cluster's reconcile (what GET /api/v1/reconciliations/{id} shows).
CREATE TABLE reconciliations (
    cluster_id     TEXT        PRIMARY KEY,
    generation     BIGINT      NOT NULL,
    phase          TEXT        NOT NULL,
    desired_digest TEXT        NOT NULL,
    objects        JSONB       NOT NULL,
    started_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ,
    error          TEXT        NOT NULL DEFAULT '',
    retryable      BOOLEAN     NOT NULL DEFAULT false
);
