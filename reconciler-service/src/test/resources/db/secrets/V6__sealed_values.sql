-- The table cluster-service's V20 creates in its schema (an applied migration is never edited, so
-- it stays there): here for services whose tests seal and open values without cluster-service
-- (the reconciler's). Keep the two the same.
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
