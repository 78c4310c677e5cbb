-- Kept with the Sealer: cluster-service seals into it, the reconciler opens kubeconfigs from it.
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
