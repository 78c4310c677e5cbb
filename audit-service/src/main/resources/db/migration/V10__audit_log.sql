-- Every event of every topic, once, chained: hash = sha256(prev_hash || canonical record).
CREATE TABLE audit_log (
    seq            BIGINT      PRIMARY KEY,
    event_id       UUID        NOT NULL UNIQUE,
    type           TEXT        NOT NULL,
    aggregate_type TEXT        NOT NULL,
    aggregate_id   TEXT        NOT NULL,
    aggregate_seq  BIGINT      NOT NULL,
    actor          TEXT        NOT NULL,
    project        TEXT        NOT NULL,
    correlation_id TEXT        NOT NULL,
    source         TEXT        NOT NULL,
    occurred_at    TIMESTAMPTZ NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    data           JSONB       NOT NULL,
    prev_hash      TEXT        NOT NULL,
    hash           TEXT        NOT NULL
);
CREATE INDEX audit_log_aggregate ON audit_log (aggregate_id, seq);
CREATE INDEX audit_log_type ON audit_log (type, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_time ON audit_log (occurred_at, seq);

-- The head of the chain; its row lock serialises appends so the chain has no forks.
CREATE TABLE audit_chain_head (
    id   INT    PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT   NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
