-- Answers to POSTs sent with an Idempotency-Key, replayed when the same caller sends the key
-- again (24 hours). `status` is NULL while the first request is being processed.
CREATE TABLE idempotency_keys (
    principal    TEXT        NOT NULL,
    key          TEXT        NOT NULL,
    method       TEXT        NOT NULL,
    path         TEXT        NOT NULL,
    status       INT,
    content_type TEXT,
    body         TEXT,
    location     TEXT,
    etag         TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
